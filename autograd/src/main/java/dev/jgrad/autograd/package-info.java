/** jgrad autograd (filled by later issues; see DESIGN.md). */
package dev.jgrad.autograd;
