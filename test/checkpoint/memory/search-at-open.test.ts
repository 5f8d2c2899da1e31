import fc from "fast-check";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { searchAtOpen, searchMemory, type MemoryHit, type SearchPattern } from "../../../src/checkpoint/memory/index";
import { openArchive, type OpenArchiveOptions } from "../../../src/source/archive";
import { readFixture } from "../../support/fixtures";
import { PAGE, streamingSource, syntheticDump, type RunKind, type SyntheticRun } from "../../support/memory-dump";
import { writeTar } from "../../support/tar-writer";
import { zstdFrame } from "../../support/zstd-frame";

// The search run in the pass at open must give exactly what the search gives on its own (which
// search.property.test.ts checks against brute force), and read the archive once: the archive is
// opened through a replay that counts the passes.

interface Counted {
  open: (options: OpenArchiveOptions) => ReturnType<typeof openArchive>;
  /** Passes over the archive (the look at its first bytes left out). */
  passes: () => number;
}

function counted(archive: Uint8Array, chunkSizes: readonly number[]): Counted {
  let calls = 0;
  async function* replay(): AsyncGenerator<Uint8Array> {
    calls++;
    for (let at = 0, i = 0; at < archive.length; i++) {
      const end = Math.min(archive.length, at + chunkSizes[i % chunkSizes.length]!);
      yield archive.slice(at, end);
      at = end;
    }
  }
  // The first call only looks at the head (the compression's magic bytes).
  return { open: (options) => openArchive({ label: "x.tar", replay }, options), passes: () => calls - 1 };
}

const key = (h: MemoryHit) => [h.pid, h.address.toString(16), Buffer.from(h.before).toString("latin1"), Buffer.from(h.match).toString("latin1"), Buffer.from(h.after).toString("latin1"), h.mapping?.kind, h.lazy] as const;
const sorted = (hits: MemoryHit[]) => hits.map(key).sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));

async function searchBoth(
  archive: Uint8Array,
  files: ReadonlyMap<string, Uint8Array>,
  pattern: SearchPattern,
  options: { context: number; pids?: number[]; chunkSizes: number[]; keep?: OpenArchiveOptions["keep"]; tapPattern?: SearchPattern },
) {
  const plain: MemoryHit[] = [];
  await searchMemory(streamingSource(files, options.chunkSizes), pattern, (h) => void plain.push(h), { context: options.context, pids: options.pids });
  const atOpen = searchAtOpen(options.tapPattern ?? pattern, { context: options.context });
  const archiveSource = counted(archive, options.chunkSizes);
  const source = await archiveSource.open({ tap: atOpen.tap, ...(options.keep ? { keep: options.keep } : {}) });
  const got: MemoryHit[] = [];
  try {
    await searchMemory(source, pattern, (h) => void got.push(h), { context: options.context, pids: options.pids, atOpen });
  } finally {
    await source.close();
  }
  return { plain: sorted(plain), got: sorted(got), passes: archiveSource.passes() };
}

const runArb = fc.record({ gap: fc.integer({ min: 0, max: 2 }), nrPages: fc.integer({ min: 1, max: 3 }), kind: fc.constantFrom<RunKind>("present", "present", "lazy", "lazy-only") });
const dumpArb = fc.record({
  seed: fc.integer(),
  tasks: fc.array(fc.array(runArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  plants: fc.array(fc.record({ task: fc.nat(), run: fc.nat(), back: fc.integer({ min: 0, max: 12 }) }), { maxLength: 5 }),
});

/** A synthetic dump's files with `needle` planted at run ends (so across page boundaries too). */
function buildDump(spec: { seed: number; tasks: { gap: number; nrPages: number; kind: RunKind }[][]; plants: { task: number; run: number; back: number }[] }, needle: string) {
  let rng = spec.seed >>> 0 || 1;
  const tasks = new Map<number, SyntheticRun[]>();
  const pages = new Map<string, Uint8Array>();
  spec.tasks.forEach((runs, t) => {
    let at = 8;
    tasks.set(
      100 + t,
      runs.map((r) => {
        at += r.gap;
        const run = { page: at, nrPages: r.nrPages, kind: r.kind };
        at += r.nrPages;
        return run;
      }),
    );
  });
  const page = (pid: number, n: number) => {
    const id = `${pid}:${n}`;
    if (!pages.has(id)) {
      const bytes = new Uint8Array(PAGE);
      for (let i = 0; i < PAGE; i++) bytes[i] = "abcabcQZ".charCodeAt(((rng = (Math.imul(rng, 1103515245) + 12345) >>> 0) >>> 16) % 8);
      pages.set(id, bytes);
    }
    return pages.get(id)!;
  };
  const pids = [...tasks.keys()];
  for (const p of spec.plants) {
    const pid = pids[p.task % pids.length]!;
    const runs = tasks.get(pid)!;
    const run = runs[p.run % runs.length]!;
    if (run.kind === "lazy-only") continue;
    const end = (run.page + run.nrPages) * PAGE - p.back;
    for (let i = 0; i < needle.length && end + i < (run.page + run.nrPages) * PAGE; i++) {
      const address = end + i;
      page(pid, Math.floor(address / PAGE))[address % PAGE] = needle.charCodeAt(i);
    }
  }
  return syntheticDump(tasks, page);
}

function tarOf(files: ReadonlyMap<string, Uint8Array>, prefix: string, order: "lexical" | "reversed"): Uint8Array {
  const names = [...files.keys()].sort();
  if (order === "reversed") names.reverse();
  return writeTar(names.map((name) => ({ name: prefix + name, data: files.get(name)! })));
}

describe("searchAtOpen", () => {
  it("finds what searchMemory finds, in one pass, whatever the chunking, compression and what the pass keeps (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        dumpArb,
        fc.stringMatching(/^[abcQZ]{1,10}$/),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 700 }), fc.integer({ min: 3000, max: 20000 })), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom("", "checkpoint/"),
        fc.constantFrom("gzip", "zstd"),
        fc.boolean(),
        async (spec, needle, chunkSizes, context, prefix, compression, keepPages) => {
          const files = buildDump(spec, needle);
          const tar = tarOf(files, prefix, "lexical");
          const archive = compression === "gzip" ? gzipSync(tar) : zstdFrame(tar, chunkSizes[0]! * 5);
          const keep = keepPages ? undefined : { smallMemberBytes: 4000 }; // pages (4 KiB and more) streamed past, not kept
          const { plain, got, passes } = await searchBoth(archive, files, { literal: needle }, { context, chunkSizes, keep });
          expect(got).toEqual(plain);
          expect(passes).toBe(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("finds the same with a regex and with some tasks only", async () => {
    await fc.assert(
      fc.asyncProperty(dumpArb, fc.array(fc.integer({ min: 200, max: 9000 }), { minLength: 1, maxLength: 3 }), fc.nat(), async (spec, chunkSizes, pick) => {
        const files = buildDump(spec, "QabZ");
        const pids = [100 + (pick % spec.tasks.length)];
        const { plain, got, passes } = await searchBoth(gzipSync(tarOf(files, "checkpoint/", "lexical")), files, { regex: "Q[abc]{0,3}Z", window: 8 }, { context: 2, pids, chunkSizes, keep: { smallMemberBytes: 4000 } });
        expect(got).toEqual(plain);
        expect(passes).toBe(1);
      }),
      { numRuns: 40 },
    );
  });

  it("reads the archive again, and finds the same, when the pages come before their pagemaps or the pattern differs", async () => {
    await fc.assert(
      fc.asyncProperty(dumpArb, fc.array(fc.integer({ min: 500, max: 9000 }), { minLength: 1, maxLength: 3 }), fc.boolean(), async (spec, chunkSizes, reversed) => {
        const files = buildDump(spec, "QQZ");
        const archive = gzipSync(tarOf(files, "", reversed ? "reversed" : "lexical"));
        const { plain, got, passes } = await searchBoth(archive, files, { literal: "QQZ" }, { context: 1, chunkSizes, keep: { smallMemberBytes: 4000 }, ...(reversed ? {} : { tapPattern: { literal: "QZ" } }) });
        expect(got).toEqual(plain);
        const hasData = [...files].some(([name, bytes]) => name.startsWith("pages-") && bytes.length > 0);
        expect(passes).toBe(hasData ? 2 : 1);
      }),
      { numRuns: 30 },
    );
  });

  for (const kind of ["tar.gz", "tar.zst", "tar.xz"]) {
    it(`finds both copies of podman-forensics' needle in the ${kind} in one pass`, async () => {
      const archive = readFixture(`archives/podman-forensics.${kind}`);
      const atOpen = searchAtOpen({ literal: "needle-7c1e-in-heap" }, { context: 3 });
      const source = counted(archive, [65536]);
      const opened = await source.open({ tap: atOpen.tap, keep: { smallMemberBytes: 60000 } });
      const hits: MemoryHit[] = [];
      await searchMemory(opened, { literal: "needle-7c1e-in-heap" }, (h) => void hits.push(h), { context: 3, atOpen });
      await opened.close();
      expect(sorted(hits)).toEqual([
        [1, "1f4d5200", "...", "needle-7c1e-in-heap", "...", "heap", true],
        [1, "1f4d5ff9", "...", "needle-7c1e-in-heap", "...", "heap", true],
      ]);
      expect(source.passes()).toBe(1);
    });
  }
});
