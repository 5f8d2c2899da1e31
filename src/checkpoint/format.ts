// The few printf conversions crit's explorers use (Python's % operator), for numbers that may be
// bigints. Widths are minimums, as in C: longer values are never cut.

/** `%Nd` (width > 0, right-aligned) or `%-Nd` (width < 0, left-aligned). */
export function dec(n: number | bigint, width = 0): string {
  return pad(n.toString(10), width);
}

/** `%lx`, or `%0Nlx` with `zeros`. */
export function hex(n: number | bigint, zeros = 0): string {
  return n.toString(16).padStart(zeros, "0");
}

/** `%Ns` (width > 0) or `%-Ns` (width < 0). */
export function pad(s: string, width: number): string {
  return width < 0 ? s.padEnd(-width) : s.padStart(width);
}
