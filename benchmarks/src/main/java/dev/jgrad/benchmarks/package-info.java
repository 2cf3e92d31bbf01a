/** JMH benchmarks of the jgrad kernels; results and commands in BENCHMARKS.md. */
package dev.jgrad.benchmarks;
