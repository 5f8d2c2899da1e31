import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openTaskMemory, searchMemory, type MemoryHit, type SearchPattern } from "../../../src/checkpoint/memory/index";
import { PAGE, streamingSource, syntheticDump, type RunKind, type SyntheticRun } from "../../support/memory-dump";

// A synthetic dump, possibly with a pre-dump parent: runs of pages per task, page bytes from a
// small alphabet (so short patterns also occur by chance), patterns planted at chosen addresses
// (page ends included). The truth is computed by brute force over each task's memory as the
// chain defines it; the search must give exactly that, whatever the chunk sizes.

interface Case {
  tasks: Map<number, SyntheticRun[]>;
  /** The parent's runs (mirroring the child's), when there is a parent. */
  parent: Map<number, SyntheticRun[]> | undefined;
  /** Page bytes by pid, then page, for the child and the parent. */
  child: Map<number, Map<number, Uint8Array>>;
  parentPages: Map<number, Map<number, Uint8Array>>;
}

const runArb = (withParent: boolean) =>
  fc.record({
    gap: fc.integer({ min: 0, max: 2 }),
    nrPages: fc.integer({ min: 1, max: 3 }),
    kind: fc.constantFrom<RunKind>(...(withParent ? (["present", "lazy", "parent", "parent", "lazy-only"] as const) : (["present", "lazy", "lazy-only"] as const))),
    parentHas: fc.boolean(),
  });

type Spec = { seed: number; tasks: { gap: number; nrPages: number; kind: RunKind; parentHas: boolean }[][] };

/** Small specs (so that counterexamples print small); buildCase makes the pages. */
function caseArb(withParent: boolean): fc.Arbitrary<Spec> {
  return fc.record({ seed: fc.integer(), tasks: fc.array(fc.array(runArb(withParent), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 2 }) });
}

function buildCase({ seed, tasks }: Spec, withParent: boolean): Case {
  const c: Case = { tasks: new Map(), parent: withParent ? new Map() : undefined, child: new Map(), parentPages: new Map() };
  let rng = seed >>> 0 || 1;
  const page = () => {
    const bytes = new Uint8Array(PAGE);
    for (let i = 0; i < PAGE; i++) {
      rng = (Math.imul(rng, 1103515245) + 12345) >>> 0;
      bytes[i] = "abcabcabcQZ".charCodeAt((rng >>> 16) % 11);
    }
    return bytes;
  };
  tasks.forEach((runs, t) => {
    const pid = 100 + t;
    let at = 16;
    const childRuns: SyntheticRun[] = [];
    const parentRuns: SyntheticRun[] = [];
    const childPages = new Map<number, Uint8Array>();
    const parentPages = new Map<number, Uint8Array>();
    for (const r of runs) {
      at += r.gap;
      childRuns.push({ page: at, nrPages: r.nrPages, kind: r.kind });
      for (let p = 0; p < r.nrPages; p++) if (r.kind === "present" || r.kind === "lazy") childPages.set(at + p, page());
      if (withParent && (r.kind === "parent" || r.parentHas)) {
        parentRuns.push({ page: at, nrPages: r.nrPages, kind: "present" });
        for (let p = 0; p < r.nrPages; p++) parentPages.set(at + p, page());
      }
      at += r.nrPages;
    }
    c.tasks.set(pid, childRuns);
    c.parent?.set(pid, parentRuns);
    c.child.set(pid, childPages);
    c.parentPages.set(pid, parentPages);
  });
  return c;
}

/** The page holding `page` of `pid` as the chain resolves it, or undefined when not dumped. */
function effectivePage(c: Case, pid: number, page: number): Uint8Array | undefined {
  const run = c.tasks.get(pid)!.find((r) => r.page <= page && page < r.page + r.nrPages);
  if (!run || run.kind === "lazy-only") return undefined;
  return run.kind === "parent" ? c.parentPages.get(pid)!.get(page) : c.child.get(pid)!.get(page);
}

/** Each task's dumped memory as contiguous stretches [address, bytes]. */
function stretches(c: Case): { pid: number; address: number; bytes: Uint8Array }[] {
  const out: { pid: number; address: number; bytes: Uint8Array }[] = [];
  for (const [pid, runs] of c.tasks) {
    let cur: { pid: number; address: number; parts: Uint8Array[] } | undefined;
    const last = Math.max(...runs.map((r) => r.page + r.nrPages));
    for (let page = 0; page <= last; page++) {
      const bytes = effectivePage(c, pid, page);
      if (bytes && cur) cur.parts.push(bytes);
      else if (bytes) cur = { pid, address: page * PAGE, parts: [bytes] };
      else if (cur) {
        out.push({ pid, address: cur.address, bytes: Buffer.concat(cur.parts) });
        cur = undefined;
      }
    }
    if (cur) out.push({ pid, address: cur.address, bytes: Buffer.concat(cur.parts) });
  }
  return out;
}

/** Writes `bytes` at `address` of `pid` where every byte is dumped memory; false (nothing written) otherwise. */
function plant(c: Case, pid: number, address: number, bytes: Uint8Array): boolean {
  const pages: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const page = effectivePage(c, pid, Math.floor((address + i) / PAGE));
    if (!page) return false;
    pages.push(page);
  }
  bytes.forEach((b, i) => (pages[i]![(address + i) % PAGE] = b));
  return true;
}

function files(c: Case, chunkSizes: number[]) {
  const child = syntheticDump(c.tasks, (pid, page) => c.child.get(pid)!.get(page)!);
  const parent = c.parent && syntheticDump(c.parent, (pid, page) => c.parentPages.get(pid)!.get(page)!);
  return { child: streamingSource(child, chunkSizes), parents: parent ? [streamingSource(parent, [...chunkSizes].reverse())] : [] };
}

async function search(c: Case, pattern: SearchPattern, chunkSizes: number[], context: number): Promise<MemoryHit[]> {
  const { child, parents } = files(c, chunkSizes);
  const hits: MemoryHit[] = [];
  await searchMemory(child, pattern, (h) => void hits.push(h), { parents, context });
  return hits.sort((a, b) => a.pid - b.pid || Number(a.address - b.address));
}

const chunkSizesArb = fc.array(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 4000, max: 9000 })), { minLength: 1, maxLength: 4 });
const plantsArb = fc.array(fc.record({ task: fc.nat(), page: fc.nat(), back: fc.integer({ min: 0, max: 20 }) }), { maxLength: 6 });

/** Plants the pattern at page ends (minus `back` bytes) of random dumped pages; returns where it went. */
function plantAll(c: Case, plants: { task: number; page: number; back: number }[], bytes: Uint8Array): [number, number][] {
  const planted: [number, number][] = [];
  const pids = [...c.tasks.keys()];
  for (const p of plants) {
    const pid = pids[p.task % pids.length]!;
    const runs = c.tasks.get(pid)!;
    const run = runs[p.page % runs.length]!;
    const address = (run.page + run.nrPages) * PAGE - p.back;
    if (plant(c, pid, address, bytes)) planted.push([pid, address]);
  }
  return planted;
}

function literalTruth(c: Case, needle: Uint8Array, context: number) {
  const out: { pid: number; address: number; before: string; after: string }[] = [];
  for (const s of stretches(c)) {
    const text = Buffer.from(s.bytes).toString("latin1");
    const n = Buffer.from(needle).toString("latin1");
    for (let i = text.indexOf(n); i !== -1; i = text.indexOf(n, i + 1)) {
      out.push({ pid: s.pid, address: s.address + i, before: text.slice(Math.max(0, i - context), i), after: text.slice(i + n.length, i + n.length + context) });
    }
  }
  return out.sort((a, b) => a.pid - b.pid || a.address - b.address);
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString("latin1");

describe("memory search (property)", () => {
  for (const withParent of [false, true]) {
    it(`finds every occurrence of a literal exactly once, whatever the chunks${withParent ? ", across a pre-dump chain" : ""}`, async () => {
      await fc.assert(
        fc.asyncProperty(
          caseArb(withParent),
          fc.stringMatching(/^[abcQZ]{1,12}$/),
          plantsArb,
          chunkSizesArb,
          fc.integer({ min: 0, max: 5 }),
          async (spec, needleText, plants, chunkSizes, context) => {
            const c = buildCase(spec, withParent);
            const needle = Buffer.from(needleText, "latin1");
            // A later plant may overwrite part of an earlier one: keep those still whole.
            const planted = plantAll(c, plants, needle).filter(([pid, address]) => [...needle].every((b, i) => effectivePage(c, pid, Math.floor((address + i) / PAGE))![(address + i) % PAGE] === b));
            const truth = literalTruth(c, needle, context);
            const hits = await search(c, { literal: needleText }, chunkSizes, context);
            expect(hits.map((h) => [h.pid, Number(h.address)])).toEqual(truth.map((t) => [t.pid, t.address]));
            for (const p of planted) expect(truth.some((t) => t.pid === p[0] && t.address === p[1])).toBe(true);
            // Context is exact within one dump; at the seams of a chain it may stop at the seam.
            if (!withParent) expect(hits.map((h) => [latin1(h.before), latin1(h.after)])).toEqual(truth.map((t) => [t.before, t.after]));
            for (const h of hits) expect(latin1(h.match)).toBe(needleText);
          },
        ),
        { numRuns: withParent ? 60 : 80 },
      );
    });
  }

  it("finds every match of a regex whose matches cannot overlap, whatever the chunks, across a chain", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb(true), fc.stringMatching(/^[abc]{0,3}$/), plantsArb, chunkSizesArb, async (spec, inner, plants, chunkSizes) => {
        const c = buildCase(spec, true);
        plantAll(c, plants, Buffer.from(`Q${inner}Z`, "latin1"));
        const truth: [number, number][] = [];
        for (const s of stretches(c)) for (const m of latin1(s.bytes).matchAll(/Q[abc]{0,3}Z/g)) truth.push([s.pid, s.address + m.index]);
        truth.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        const hits = await search(c, { regex: "Q[abc]{0,3}Z", window: 8 }, chunkSizes, 0);
        expect(hits.map((h) => [h.pid, Number(h.address)])).toEqual(truth);
      }),
      { numRuns: 60 },
    );
  });

  it("reads the bytes the chain defines, and lists exactly the bytes it lacks", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb(true), fc.nat(), fc.integer({ min: -PAGE, max: 3 * PAGE }), fc.integer({ min: 0, max: 3 * PAGE }), async (spec, pick, from, length) => {
        const c = buildCase(spec, true);
        const pids = [...c.tasks.keys()];
        const pid = pids[pick % pids.length]!;
        const runs = c.tasks.get(pid)!;
        const start = Math.max(0, runs[pick % runs.length]!.page * PAGE + from);
        const { child, parents } = files(c, [PAGE]);
        const memory = await openTaskMemory(child, pid, { parents });
        const got = await memory.readWithGaps(BigInt(start), length);
        const missing = new Uint8Array(length);
        for (const gap of got.missing) missing.fill(1, Number(gap.start) - start, Number(gap.end) - start);
        const wantBytes = new Uint8Array(length);
        const wantMissing = new Uint8Array(length);
        for (let i = 0; i < length; i++) {
          const page = effectivePage(c, pid, Math.floor((start + i) / PAGE));
          if (page) wantBytes[i] = page[(start + i) % PAGE]!;
          else wantMissing[i] = 1;
        }
        expect(missing).toEqual(wantMissing);
        expect(got.bytes).toEqual(wantBytes);
      }),
      { numRuns: 60 },
    );
  });
});
