import type { Finding } from "../rule";
import { READERS, type Direction } from "../verdict";

/**
 * The readers a finding affects in one direction, with their effects ("upb json, protobuf-es
 * json"): only the selected readers when the findings were narrowed (selectFindings), `nothing`
 * when none is affected, "not selected" for a direction left out.
 */
export function affected(f: Finding, direction: Direction, nothing: string): string {
  if (f.selection && !f.selection.directions.includes(direction)) return "not selected";
  const readers = f.selection?.readers ?? READERS;
  const e = f.verdicts[direction];
  const hit = READERS.filter((r) => readers.includes(r) && e[r] !== "none").map((r) => `${r} ${e[r]}`);
  return hit.length ? hit.join(", ") : nothing;
}
