// checkpointctl's boxes: a double-lined header box, and single-lined section boxes whose lines
// start with "│ " and have no right edge.

export function headerBox(lines: readonly string[], width = 66): string {
  const inner = width - 4;
  const row = (text: string) => `║ ${fit(text, inner).padEnd(inner)} ║\n`;
  const rule = (left: string, right: string) => `${left}${"═".repeat(width - 2)}${right}\n`;
  return rule("╔", "╗") + row("Checkpoint Diff") + rule("╠", "╣") + lines.map(row).join("") + rule("╚", "╝");
}

export function sectionBox(title: string, lines: readonly string[], width = 64): string {
  const top = `┌─ ${title} ${"─".repeat(Math.max(0, width - 5 - title.length))}┐\n`;
  return top + lines.map((l) => `│ ${l}\n`).join("") + `└${"─".repeat(width - 2)}┘\n`;
}

/** `text` cut to `max` characters, the last three being "..." when cut. */
export function fit(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Control characters (a UNIX name's NULs) as \0, \x01... so that a terminal shows them. */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (ch) => (ch === "\0" ? "\\0" : `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`));
}
