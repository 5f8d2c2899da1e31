import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  hexdumpHeader,
  hexdumpRows,
  isMemoryError,
  memoryHits,
  memorySizes,
  openMemoryDump,
  openTaskMemory,
  renderHexRow,
  renderSizes,
  searchMemory,
  type HexRow,
  type MemoryHit,
  type SearchPattern,
} from "../../../src/checkpoint/memory/index";
import { openPageReader, openShmemPageReader } from "../../../src/node/pages";
import { sourceFromFiles } from "../../../src/source/files";
import type { CheckpointSource } from "../../../src/source/source";
import { corpusDir } from "../../support/corpus";
import { filesOfDir, sourceFromDir, streamingSource } from "../../support/memory-dump";

const forensics = `${corpusDir}podman-forensics/`;
const NEEDLE = "needle-7c1e-in-heap";
// SCENARIO.md: both copies in pid 1's heap (vma 0x1f4d2000-0x1f4f4000), the second across a page boundary.
const NEEDLE_AT = [0x1f4d5200n, 0x1f4d5ff9n];

async function hitsOf(source: CheckpointSource, pattern: SearchPattern, context = 0): Promise<MemoryHit[]> {
  const hits: MemoryHit[] = [];
  await searchMemory(source, pattern, (h) => void hits.push(h), { context });
  return hits;
}

describe("podman-forensics: the needle in pid 1's heap", () => {
  const sources: [string, () => CheckpointSource][] = [
    ["a dump directory", () => sourceFromDir(`${forensics}images`)],
    ["an archive's checkpoint/ folder", () => sourceFromDir(`${forensics}images`, "checkpoint/")],
    ["a source without random access, in odd chunks", () => streamingSource(filesOfDir(`${forensics}images`, "checkpoint/"), [4093, 7, 12000, 1])],
  ];
  const patterns: [string, SearchPattern][] = [
    ["literal", { literal: NEEDLE }],
    ["hex", { hex: Buffer.from(NEEDLE).toString("hex").replace(/(..)/g, "$1 ") }],
    ["regex", { regex: "needle-[0-9a-f]{4}-in-heap" }],
  ];
  for (const [what, open] of sources) {
    for (const [kind, pattern] of patterns) {
      it(`finds both copies by ${kind} in ${what}`, async () => {
        const hits = await hitsOf(open(), pattern, 4);
        expect(hits.map((h) => [h.pid, h.address])).toEqual(NEEDLE_AT.map((a) => [1, a]));
        for (const h of hits) {
          expect(Buffer.from(h.match).toString()).toBe(NEEDLE);
          expect(Buffer.from(h.before).toString()).toBe("....");
          expect(Buffer.from(h.after).toString()).toBe("....");
          expect(h.mapping).toMatchObject({ start: 0x1f4d2000n, end: 0x1f4f4000n, protection: "rw-", kind: "heap", shared: false });
          expect(h.offsetInMapping).toBe(h.address - 0x1f4d2000n);
        }
      });
    }
  }

  it("reads the split copy back through the reader, and says where memory is missing", async () => {
    const memory = await openTaskMemory(sourceFromDir(`${forensics}images`), 1);
    expect(Buffer.from(await memory.read(NEEDLE_AT[1]!, NEEDLE.length)).toString()).toBe(NEEDLE);
    expect(memory.mappingAt(NEEDLE_AT[0]!)?.kind).toBe("heap");
    // 0x402000 follows the single dumped page at 0x401000: not in the dump.
    const err = await memory.read(0x401ff0n, 32).catch((e: unknown) => e);
    expect(isMemoryError(err) && err.kind === "missing-memory" && err.address === 0x402000n).toBe(true);
    const gaps = await memory.readWithGaps(0x401ff0n, 32);
    expect(gaps.missing).toEqual([{ start: 0x402000n, end: 0x402010n, why: expect.stringContaining("no pagemap entry") }]);
    expect((await memory.read(0x401ff0n, 32, { missing: "zeros" })).subarray(16)).toEqual(new Uint8Array(16));
  });

  it("is not in the children's memory, and --pid limits the search", async () => {
    const hits: MemoryHit[] = [];
    const summary = await searchMemory(sourceFromDir(`${forensics}images`), { literal: NEEDLE }, (h) => void hits.push(h), { pids: [6, 7] });
    expect(hits).toEqual([]);
    expect(summary.pids).toEqual([6, 7]);
  });

  it("finds PATH at the address checkpointctl gives, in every task (checkpointctl: pid 1 only)", async () => {
    // memparse-pid1-search-PATH.txt: 00007ffdd22b0f35   PATH    1
    const hits = await hitsOf(sourceFromDir(`${forensics}images`), { literal: "PATH" });
    expect(hits.map((h) => [h.pid, h.address])).toEqual([1, 6, 7].map((pid) => [pid, 0x7ffdd22b0f35n]));
    expect(hits[0]!.mapping?.kind).toBe("stack");
  });

  it("yields hits through the async iterator, reports progress, and stops when aborted", async () => {
    const progress: number[] = [];
    const found: bigint[] = [];
    for await (const hit of memoryHits(sourceFromDir(`${forensics}images`), { literal: NEEDLE }, { onProgress: (p) => progress.push(p.done) })) {
      found.push(hit.address);
    }
    expect(found).toEqual(NEEDLE_AT);
    expect(progress.at(-1)).toBe((22 + 16 + 16) * 4096);
    const stop = new AbortController();
    stop.abort(new Error("stopped"));
    await expect(searchMemory(sourceFromDir(`${forensics}images`), { literal: NEEDLE }, () => {}, { signal: stop.signal })).rejects.toThrow("stopped");
  });
});

describe("memparse views against checkpointctl's output on podman-forensics", () => {
  const expected = (name: string) =>
    readFileSync(`${forensics}checkpointctl/${name}`, "utf8").replace(/podman-forensics\.tar\.zst/g, "LABEL");

  it("prints checkpointctl's size table", async () => {
    expect(renderSizes("LABEL", await memorySizes(sourceFromDir(`${forensics}images`)))).toBe(expected("memparse.txt"));
  });

  for (const pid of [1, 6, 7]) {
    it(`pid ${pid}: the same rows as checkpointctl, which folds rows whose ASCII (not bytes) repeat`, async () => {
      const memory = await openTaskMemory(sourceFromDir(`${forensics}images`), pid);
      const rows: HexRow[] = [];
      for await (const row of hexdumpRows(memory, false)) rows.push(row);
      // checkpointctl's rule, applied to our unfolded rows, gives its text exactly.
      expect(hexdumpHeader(pid, "LABEL") + foldLike(rows, memory.layout.layers[0]!.runs.map((r) => r.vaddr), ascii).join("")).toBe(
        expected(`memparse-pid${pid}.txt`),
      );
      // Ours folds only rows whose bytes repeat.
      const ours: HexRow[] = [];
      for await (const row of hexdumpRows(memory)) ours.push(row);
      expect(ours.map(renderHexRow)).toEqual(foldLike(rows, memory.layout.layers[0]!.runs.map((r) => r.vaddr), (b) => Buffer.from(b).toString("hex")));
    });
  }
});

describe("a pre-dump chain (old-v4.1-predump)", () => {
  const dir = `${corpusDir}old-v4.1-predump/`;
  const pids = [2580, 2583];

  it("reads in-parent pages from the parent source, byte for byte as the directory reader", async () => {
    const parent = sourceFromDir(`${dir}predump/images`);
    for (const pid of pids) {
      const memory = await openTaskMemory(sourceFromDir(`${dir}images`), pid, { parents: [parent] });
      const reference = openPageReader(`${dir}images`, pid);
      expect(memory.layout.segments.some((s) => s.kind === "data" && s.level === 1)).toBe(true);
      for (const run of reference.runs) {
        const length = Number(run.nrPages) * 4096;
        expect(await memory.read(run.vaddr, length)).toEqual(reference.readSync(run.vaddr, length));
      }
    }
  });

  it("finds the parent under parent/ in the same source, and reports in-parent pages missing without it", async () => {
    const files = new Map([...filesOfDir(`${dir}images`), ...filesOfDir(`${dir}predump/images`, "parent/")]);
    files.delete("parent");
    const inside = await openMemoryDump(sourceFromFiles(files));
    expect(inside.levels.map((l) => l.prefix)).toEqual(["", "parent/"]);
    const alone = await openTaskMemory(sourceFromDir(`${dir}images`), 2580, { parents: [] });
    const inParent = alone.layout.segments.find((s) => s.kind === "missing")!;
    expect(inParent.why).toMatch(/PE_PARENT/);
    await expect(alone.read(inParent.start, 16)).rejects.toThrow(/not in the dump/);
  });

  it("searches across the chain: what the directory reader's bytes contain, found once each", async () => {
    const parent = sourceFromDir(`${dir}predump/images`);
    const needle = "old-mem";
    const expectedHits: [number, bigint][] = [];
    for (const pid of pids) {
      const reference = openPageReader(`${dir}images`, pid);
      for (const run of reference.runs) {
        const text = Buffer.from(reference.readSync(run.vaddr, Number(run.nrPages) * 4096)).toString("latin1");
        for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) expectedHits.push([pid, run.vaddr + BigInt(i)]);
      }
    }
    expect(expectedHits.length).toBeGreaterThan(0);
    const hits: MemoryHit[] = [];
    await searchMemory(sourceFromDir(`${dir}images`), { literal: needle }, (h) => void hits.push(h), { parents: [parent] });
    // The task pagemaps' hits (the shared region's, in pagemap-shmem, are tested with old-v4.2-shmem).
    const got = hits.filter((h) => h.mapping?.shmid === undefined).map((h) => [h.pid, h.address] as [number, bigint]).sort((a, b) => a[0] - b[0] || Number(a[1] - b[1]));
    expect(got).toEqual(expectedHits.sort((a, b) => a[0] - b[0] || Number(a[1] - b[1])));
  });
});

describe("shared memory (old-v4.2-shmem: a MAP_SHARED|MAP_ANONYMOUS region CRIU dumps as memfd 1500)", () => {
  const dir = `${corpusDir}old-v4.2-shmem/images`;
  const region = 0x7f7d2e410000n;
  // SCENARIO.md: pages 0, 1, 5, 6, 7 and 20 of the 32-page region were written, in both tasks' view.
  const written = [0, 1, 5, 6, 7, 20].map((p) => region + BigInt(p * 4096));

  it("is searched once and reported in every task that maps it", async () => {
    const hits = (await hitsOf(sourceFromDir(dir), { literal: "old-mem page" })).filter((h) => h.mapping?.path === "memfd:/dev/zero");
    const byTask = (pid: number) => hits.filter((h) => h.pid === pid).map((h) => h.address).sort((a, b) => Number(a - b));
    expect(byTask(722)).toEqual(written);
    expect(byTask(724)).toEqual(written);
    expect(hits[0]!.mapping).toMatchObject({ kind: "file", shared: true, shmid: 1500n });
  });

  it("is read through the task's reader, as the shared object's own reader has it", async () => {
    const memory = await openTaskMemory(sourceFromDir(dir), 724);
    const object = openShmemPageReader(dir, 1500);
    expect(await memory.read(region + 0x5000n, 3 * 4096)).toEqual(object.readSync(0x5000n, 3 * 4096));
    const gaps = await memory.readWithGaps(region + 0x1000n, 2 * 4096);
    expect(gaps.missing).toEqual([{ start: region + 0x2000n, end: region + 0x3000n, why: expect.stringContaining("shared memory 1500") }]);
  });
});

function ascii(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b >= 32 && b < 127 ? String.fromCharCode(b) : ".";
  return out;
}

/** Folds unfolded rows the hexdump way: a row whose key equals the previous row's becomes one "*", restarting at every pagemap entry. */
function foldLike(rows: readonly HexRow[], runStarts: readonly bigint[], key: (bytes: Uint8Array) => string): string[] {
  const starts = new Set(runStarts);
  const out: string[] = [];
  let prev: string | undefined;
  let folding = false;
  for (const row of rows) {
    if (row.kind !== "bytes") {
      out.push(renderHexRow(row));
      prev = undefined;
      continue;
    }
    if (starts.has(row.address)) prev = undefined;
    const k = key(row.bytes);
    if (k === prev) {
      if (!folding) out.push("*\n");
      folding = true;
    } else {
      folding = false;
      out.push(renderHexRow(row));
    }
    prev = k;
  }
  return out;
}
