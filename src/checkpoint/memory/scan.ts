// The scanning half of the memory search: the bytes of a dump's pages-*.img members, as they
// stream past in chunks, cut into the regions (a task's memory, a shared-memory object) they
// belong to and fed to one StretchScanner per region. What it finds is raw: the region and the
// match with its context, to be described (task, mapping) by the search.

import { segmentIndex, type TaskLayout } from "./layout";
import type { Matcher } from "./pattern";
import { StretchScanner, type RawHit, type StretchEdge } from "./scanner";

/** A run of one region's bytes in a pages member. */
interface Piece {
  /** The region (a task's memory, or a shared-memory object) the bytes belong to. */
  key: string;
  offset: number;
  end: number;
  address: bigint;
}

/** A match and the region it was found in. */
export interface RegionHit {
  key: string;
  raw: RawHit;
}

/**
 * Scans the data of one level of the chain for `regions` ("task:PID", "shmem:ID"): feed() every
 * chunk of the pages members it names (`members`), in member order, then close(). Hits pile up
 * until take(); the bytes at each stretch's ends go to `edges` for the seams between levels.
 */
export class PagesScan {
  private readonly pieces: Map<string, Piece[]>;
  private readonly scanners = new Map<string, StretchScanner>();
  private readonly cursors = new Map<string, number>();
  private found: RegionHit[] = [];

  constructor(
    private readonly matcher: Matcher,
    private readonly context: number,
    private readonly regions: ReadonlyMap<string, TaskLayout>,
    level: number,
    private readonly edges: Map<string, StretchEdge[]>,
  ) {
    this.pieces = piecesOf(regions, level);
  }

  /** The pages members holding the level's data of the regions. */
  get members(): string[] {
    return [...this.pieces.keys()];
  }

  /** Scans a chunk at `offset` of member `name`; returns how many bytes of it were region data. */
  feed(name: string, offset: number, chunk: Uint8Array): number {
    const list = this.pieces.get(name);
    if (list === undefined) return 0;
    const chunkEnd = offset + chunk.length;
    let i = this.cursors.get(name) ?? 0;
    while (i < list.length && list[i]!.end <= offset) i++;
    this.cursors.set(name, i);
    let scanned = 0;
    for (let k = i; k < list.length && list[k]!.offset < chunkEnd; k++) {
      const p = list[k]!;
      const from = Math.max(offset, p.offset);
      const to = Math.min(chunkEnd, p.end);
      if (to <= from) continue;
      this.scannerFor(p.key).feed(p.address + BigInt(from - p.offset), chunk.subarray(from - offset, to - offset));
      scanned += to - from;
    }
    return scanned;
  }

  /** Ends every stretch (their last hits get the context there is). */
  close(): void {
    for (const s of this.scanners.values()) s.close();
  }

  /** The hits found since the last take(), in the order found. */
  take(): RegionHit[] {
    const out = this.found;
    this.found = [];
    return out;
  }

  private scannerFor(key: string): StretchScanner {
    let s = this.scanners.get(key);
    if (!s) {
      const layout = this.regions.get(key)!;
      s = new StretchScanner(this.matcher, this.context, {
        emit: (raw) => void this.found.push({ key, raw }),
        continuesAt(boundary, side) {
          const neighbour = side === "head" ? boundary - 1n : boundary;
          const seg = layout.segments[segmentIndex(layout.segments, neighbour)];
          return seg !== undefined && seg.kind === "data" && seg.start <= neighbour;
        },
        edge: (edge) => {
          const list = this.edges.get(key) ?? [];
          list.push(edge);
          this.edges.set(key, list);
        },
      });
      this.scanners.set(key, s);
    }
    return s;
  }
}

/** For one dump of the chain: member name -> the region pieces in it, by offset. */
function piecesOf(regions: ReadonlyMap<string, TaskLayout>, level: number): Map<string, Piece[]> {
  const out = new Map<string, Piece[]>();
  for (const [key, layout] of regions) {
    for (const s of layout.segments) {
      if (s.kind !== "data" || s.level !== level) continue;
      const list = out.get(s.member) ?? [];
      list.push({ key, offset: s.offset, end: s.offset + Number(s.end - s.start), address: s.start });
      out.set(s.member, list);
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.offset - b.offset);
  return out;
}

/** Bytes of data a region holds at `level` (every level when undefined). */
export function dataBytes(layout: TaskLayout, level?: number): number {
  return layout.segments.reduce((sum, s) => (s.kind === "data" && (level === undefined || s.level === level) ? sum + Number(s.end - s.start) : sum), 0);
}
