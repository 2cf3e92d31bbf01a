/** jgrad examples (filled by later issues; see DESIGN.md). */
package dev.jgrad.examples;
