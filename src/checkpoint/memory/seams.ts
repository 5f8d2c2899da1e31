// The seams of a pre-dump chain: where a task's adjacent pages come from different dumps, each
// dump's pass saw only its own side. The scanners kept `keep + context` bytes on each side of
// every such boundary; here they are joined and searched for the matches that cross a boundary
// (matches on one side only were found by that side's pass).

import type { Matcher } from "./pattern";
import { concat, type RawHit, type StretchEdge } from "./scanner";

export function searchSeams(matcher: Matcher, context: number, edges: readonly StretchEdge[]): RawHit[] {
  const boundaries = [...new Set(edges.map((e) => e.boundary))];
  const hits: RawHit[] = [];
  for (const { start, bytes } of joinEdges(edges)) {
    const end = start + BigInt(bytes.length);
    const inside = boundaries.filter((b) => b > start && b < end);
    if (inside.length === 0) continue;
    for (const [s, e] of matcher.find(bytes, 0, bytes.length).matches) {
      const from = start + BigInt(s);
      const to = start + BigInt(e);
      if (!inside.some((b) => from < b && b < to)) continue;
      hits.push({
        address: from,
        match: bytes.slice(s, e),
        before: bytes.slice(Math.max(0, s - context), s),
        after: bytes.slice(e, Math.min(bytes.length, e + context)),
      });
    }
  }
  return hits.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Edges (possibly overlapping: a short stretch gives a head and a tail over the same bytes) joined into contiguous runs. */
function joinEdges(edges: readonly StretchEdge[]): { start: bigint; bytes: Uint8Array }[] {
  const sorted = [...edges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: { start: bigint; bytes: Uint8Array }[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    const lastEnd = last ? last.start + BigInt(last.bytes.length) : undefined;
    if (last && lastEnd !== undefined && e.start <= lastEnd) {
      const skip = Number(lastEnd - e.start);
      if (skip < e.bytes.length) last.bytes = concat(last.bytes, e.bytes.subarray(skip));
    } else out.push({ start: e.start, bytes: e.bytes });
  }
  return out;
}
