/** jgrad nn (filled by later issues; see DESIGN.md). */
package dev.jgrad.nn;
