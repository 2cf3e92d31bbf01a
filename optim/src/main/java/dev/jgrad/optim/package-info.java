/** jgrad optim (filled by later issues; see DESIGN.md). */
package dev.jgrad.optim;
