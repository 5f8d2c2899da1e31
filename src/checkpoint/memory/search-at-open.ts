// A memory search run inside the pass that opens a compressed archive (or a stream), so that
// `crit memparse -s` decompresses the archive once instead of twice. CRIU's and the engines'
// archives list pagemap-N.img before pages-ID.img (lexical order), so when the pass reaches a
// pages image it already holds the pagemaps that say whose bytes are where in it: the tap scans
// each pages image as it streams past, for every task and shared-memory object it finds. The
// process tree (pstree.img comes after the pages) is not needed until searchMemory, which takes
// the hits of the tasks it searches and scans again only what the pass at open did not cover
// (an archive in another order, a pre-dump parent, a damaged pagemap).

import { decodeImage } from "../../image/decode";
import type { EntriesOf } from "../../image/entries";
import type { MemberTap } from "../../source/archive-pass";
import { layerOf, layoutOf, type Segment, type TaskLayout } from "./layout";
import { compilePattern, type SearchPattern } from "./pattern";
import { PagesScan, type RegionHit } from "./scan";
import type { StretchEdge } from "./scanner";

const PAGES = /^((?:checkpoint\/)?)pages-(\d+)\.img$/;
const PAGEMAP = /^pagemap-(?:(\d+)|shmem-(\d+))\.img$/;

export interface SearchAtOpenOptions {
  /** Bytes of context before and after each hit, as searchMemory's `context` (default 0). */
  context?: number;
  /** Page size of the dumped machine (default 4096), as openMemoryDump's. */
  pageSize?: number;
}

/**
 * A search to run in the pass at open: give `tap` to the source's `tap` option (openSource,
 * sourceFromBlob, openArchive), then this object to searchMemory's `atOpen` with the same pattern
 * and options. A source with random access (a directory, a plain tar) has no pass at open: the
 * search then reads the pages itself, as without it.
 */
export interface SearchAtOpen {
  readonly tap: MemberTap;
  /** @internal what the pass found; read by searchMemory. */
  readonly found: FoundAtOpen;
}

/** @internal */
export interface FoundAtOpen {
  pattern: SearchPattern;
  context: number;
  pageSize: number;
  /** Every region scanned, by key ("task:PID", "shmem:ID"), with whether its pages were read to the end. */
  regions: Map<string, { layout: TaskLayout; done: () => boolean }>;
  hits: RegionHit[];
  edges: Map<string, StretchEdge[]>;
}

export function searchAtOpen(pattern: SearchPattern, options: SearchAtOpenOptions = {}): SearchAtOpen {
  const matcher = compilePattern(pattern);
  const found: FoundAtOpen = {
    pattern,
    context: Math.max(0, options.context ?? 0),
    pageSize: options.pageSize ?? 4096,
    regions: new Map(),
    hits: [],
    edges: new Map(),
  };
  /** pages_id of each pagemap image seen (undefined: it does not decode). */
  const pagesIds = new Map<string, { id: string; entries: EntriesOf<"PAGEMAP"> } | undefined>();
  const tap: MemberTap = (member, kept) => {
    const pages = PAGES.exec(member.name);
    if (!pages) return undefined;
    const [, dir, id] = pages as unknown as [string, string, string];
    const regions = new Map<string, TaskLayout>();
    for (const [name, bytes] of kept) {
      const which = name.startsWith(dir) ? PAGEMAP.exec(name.slice(dir.length)) : null;
      if (!which) continue;
      if (!pagesIds.has(name)) pagesIds.set(name, headOf(bytes, name));
      const pagemap = pagesIds.get(name);
      if (pagemap?.id !== id) continue;
      const pid = which[1] === undefined ? 0 : Number(which[1]);
      const key = which[1] === undefined ? `shmem:${which[2]}` : `task:${pid}`;
      try {
        const place = { label: member.name, prefix: dir, name: name.slice(dir.length), pid, level: 0, pageSize: found.pageSize };
        const layer = layerOf(pagemap.entries, place, (n) => (dir + n === member.name ? member.size : undefined));
        regions.set(key, { ...layoutOf(pid, [layer], found.pageSize), ...(which[2] === undefined ? {} : { shmid: BigInt(which[2]) }) });
      } catch {
        continue; // searchMemory reads this one again, and reports what is wrong with it
      }
    }
    if (regions.size === 0) return undefined;
    const scan = new PagesScan(matcher, found.context, regions, 0, found.edges);
    let read = 0;
    const done = () => read >= member.size;
    for (const [key, layout] of regions) found.regions.set(key, { layout, done });
    return (offset: number, chunk: Uint8Array) => {
      scan.feed(member.name, offset, chunk);
      read = offset + chunk.length;
      if (done()) scan.close();
      for (const hit of scan.take()) found.hits.push(hit);
    };
  };
  return { tap, found };
}

function headOf(bytes: Uint8Array, name: string): { id: string; entries: EntriesOf<"PAGEMAP"> } | undefined {
  try {
    const entries = decodeImage(bytes, { fileName: name, expect: "PAGEMAP" }).entries as EntriesOf<"PAGEMAP">;
    const head = entries[0];
    return head?.$typeName === "pagemap_head" ? { id: String(head.pagesId), entries } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the pass at open found for `regions` (the search's, level 0), or undefined when it does not
 * cover them all: another pattern or context, a region it did not scan or scanned with other
 * pages, or a pages image it did not read to the end.
 */
export function takeFoundAtOpen(
  found: FoundAtOpen | undefined,
  search: { pattern: SearchPattern; context: number; pageSize: number },
  regions: ReadonlyMap<string, TaskLayout>,
): { hits: RegionHit[]; edges: Map<string, StretchEdge[]> } | undefined {
  if (found === undefined || found.context !== search.context || found.pageSize !== search.pageSize || !samePattern(found.pattern, search.pattern)) return undefined;
  for (const [key, layout] of regions) {
    const wanted = levelZeroData(layout.segments);
    if (wanted.length === 0) continue;
    const got = found.regions.get(key);
    if (got === undefined || !got.done() || !sameData(levelZeroData(got.layout.segments), wanted)) return undefined;
  }
  return {
    hits: found.hits.filter((h) => regions.has(h.key)),
    edges: new Map([...found.edges].filter(([key]) => regions.has(key))),
  };
}

type DataSegment = Extract<Segment, { kind: "data" }>;

function levelZeroData(segments: readonly Segment[]): DataSegment[] {
  return segments.filter((s): s is DataSegment => s.kind === "data" && s.level === 0);
}

function sameData(a: readonly DataSegment[], b: readonly DataSegment[]): boolean {
  return a.length === b.length && a.every((s, i) => s.start === b[i]!.start && s.end === b[i]!.end && s.offset === b[i]!.offset && s.member === b[i]!.member);
}

function samePattern(a: SearchPattern, b: SearchPattern): boolean {
  const text = (p: SearchPattern) => JSON.stringify(p, (_, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v));
  return a === b || text(a) === text(b);
}
