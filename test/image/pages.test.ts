import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, isFieldSet, type MessageInitShape } from "@bufbuild/protobuf";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { decodeImage } from "../../src/image/decode";
import { ImageError } from "../../src/image/errors";
import { createPageReader, pagemapLayout, PE_LAZY, PE_PARENT, PE_PRESENT, type SyncPageReader } from "../../src/image/pages";
import { openPageReader, openShmemPageReader, parentDumpDir } from "../../src/node/pages";
import { pagemap_entrySchema, pagemap_headSchema, type pagemap_entry } from "../../src/schema/all";
import { fixturePath } from "../support/fixtures";

const PAGE = 4096;
const corpus = fixturePath("corpus");

/** Every dump directory of the corpus: each scenario's images/, and predump/images. */
function dumpDirs(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!lstatSync(path).isDirectory()) continue;
      if (name === "images") out.push(path);
      else walk(path);
    }
  };
  walk(corpus);
  return out.sort();
}

/** One pagemap with what the test computes on its own (not through src/image/pages). */
interface Case {
  label: string;
  dir: string;
  file: string;
  entries: pagemap_entry[];
  pages: Uint8Array;
  /** Per entry: page count, whether present, and the offset in pages-N.img when present. */
  expected: { nr: number; present: boolean; inParent: boolean; offset: number }[];
}

function loadCase(dir: string, file: string): Case {
  const image = decodeImage(new Uint8Array(readFileSync(join(dir, file))), { fileName: file, expect: "PAGEMAP" });
  const [head, ...entries] = image.entries;
  const pages = new Uint8Array(readFileSync(join(dir, `pages-${head.pagesId}.img`)));
  let offset = 0;
  const expected = entries.map((e) => {
    const nr = isFieldSet(e, pagemap_entrySchema.field.nrPages) ? Number(e.nrPages) : e.compatNrPages;
    const flags = isFieldSet(e, pagemap_entrySchema.field.flags) ? e.flags : e.inParent ? PE_PARENT : PE_PRESENT;
    const present = (flags & PE_PRESENT) !== 0;
    const row = { nr, present, inParent: (flags & PE_PARENT) !== 0 || e.inParent, offset };
    if (present) offset += nr * PAGE;
    return row;
  });
  return { label: `${dir.slice(corpus.length + 1)}/${file}`, dir, file, entries, pages, expected };
}

const cases: Case[] = dumpDirs().flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => /^pagemap-(shmem-)?\d+\.img$/.test(f))
    .sort()
    .map((f) => loadCase(dir, f)),
);

function open(c: Case): SyncPageReader {
  const m = /^pagemap-(shmem-)?(\d+)\.img$/.exec(c.file)!;
  return m[1] ? openShmemPageReader(c.dir, Number(m[2])) : openPageReader(c.dir, Number(m[2]));
}

/** Byte comparison that stays fast on megabytes and still says where the bytes differ. */
function expectBytes(got: Uint8Array, want: Uint8Array): void {
  let diff = -1;
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n && diff < 0; i++) if (got[i] !== want[i]) diff = i;
  expect({ length: got.length, firstDifference: diff }).toEqual({ length: want.length, firstDifference: -1 });
}

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}

describe("every corpus pagemap", () => {
  it("covers the corpus", () => {
    expect(cases.length).toBe(91); // 88, and podman-forensics: pagemap-1, -6 and -7
  });

  it.each(cases.map((c) => [c.label, c] as const))("%s: present entries read back from pages-N.img", async (_, c) => {
    const reader = open(c);
    const total = c.expected.reduce((sum, e) => (e.present ? sum + e.nr : sum), 0);
    expect(total * PAGE).toBe(c.pages.length);
    c.entries.forEach((e, i) => {
      const want = c.expected[i]!;
      expect(reader.runs[i]!.pagesOffset).toBe(want.present ? BigInt(want.offset) : undefined);
      if (!want.present || want.inParent) return;
      const got = reader.readSync(e.vaddr, want.nr * PAGE);
      expectBytes(got, c.pages.subarray(want.offset, want.offset + want.nr * PAGE));
    });
    // The async path and the in-memory source give the same bytes.
    const mem = createPageReader({ pagemap: [create(pagemap_headSchema), ...c.entries], pages: c.pages });
    const first = c.entries.findIndex((_, i) => c.expected[i]!.present && !c.expected[i]!.inParent);
    if (first >= 0) {
      const e = c.entries[first]!;
      const len = c.expected[first]!.nr * PAGE;
      expectBytes(await mem.read(e.vaddr, len), reader.readSync(e.vaddr, len));
    }
  });
});

describe("old-v4.1-predump: in-parent pages", () => {
  const finalDir = join(corpus, "old-v4.1-predump/images");
  const parentDir = join(corpus, "old-v4.1-predump/predump/images");

  it("parent is a regular file holding a relative path, resolved against the dump", () => {
    expect(lstatSync(join(finalDir, "parent")).isFile()).toBe(true);
    expect(statSync(parentDumpDir(finalDir)!).ino).toBe(statSync(parentDir).ino);
    expect(parentDumpDir(parentDir)).toBeUndefined();
  });

  function checkAgainstParent(dumpDir: string): number {
    let inParent = 0;
    for (const pid of [2580, 2583]) {
      const mine = loadCase(finalDir, `pagemap-${pid}.img`);
      const theirs = loadCase(parentDir, `pagemap-${pid}.img`);
      const reader = openPageReader(dumpDir, pid);
      mine.entries.forEach((e, i) => {
        if (!mine.expected[i]!.inParent) return;
        inParent++;
        const j = theirs.entries.findIndex((p) => p.vaddr === e.vaddr);
        const src = theirs.expected[j]!;
        expect(src.present).toBe(true);
        expect(src.nr).toBeGreaterThanOrEqual(mine.expected[i]!.nr);
        const len = mine.expected[i]!.nr * PAGE;
        expectBytes(reader.readSync(e.vaddr, len), theirs.pages.subarray(src.offset, src.offset + len));
      });
    }
    return inParent;
  }

  it("reads every in-parent entry from predump/images", () => {
    expect(checkAgainstParent(finalDir)).toBe(22);
  });

  let tmp: string | undefined;
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("follows a real symlink the same way", () => {
    tmp = mkdtempSync(join(tmpdir(), "criu-pages-"));
    for (const name of readdirSync(finalDir)) {
      if (name !== "parent") symlinkSync(join(finalDir, name), join(tmp, name));
    }
    symlinkSync(parentDir, join(tmp, "parent"));
    expect(lstatSync(join(tmp, "parent")).isSymbolicLink()).toBe(true);
    expect(checkAgainstParent(tmp)).toBe(22);
  });

  it("without the parent, in-parent pages are a typed error", () => {
    const reader = openPageReader(finalDir, 2580, { parents: false });
    const run = reader.runs.find((r) => r.inParent)!;
    const err = catchError(() => reader.readSync(run.vaddr, PAGE));
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).kind).toBe("bad-payload");
    expect((err as ImageError).message).toContain(`0x${run.vaddr.toString(16)}`);
    expect((err as ImageError).message).toContain("PE_PARENT");
  });
});

describe("pre-4.2 pagemaps (compat_nr_pages only)", () => {
  const old = cases.filter((c) => /^old-v(3\.17-basic|3\.19-basic|4\.0-basic|4\.1-)/.test(c.label));

  it("the old scenarios have no nr_pages and work from compat_nr_pages", () => {
    expect(old.length).toBeGreaterThan(10);
    for (const c of old) {
      const reader = open(c);
      c.entries.forEach((e, i) => {
        expect(isFieldSet(e, pagemap_entrySchema.field.nrPages)).toBe(false);
        expect(e.compatNrPages).toBeGreaterThan(0);
        expect(reader.runs[i]!.nrPages).toBe(BigInt(e.compatNrPages));
      });
    }
  });

  it("v4.2 entries carry nr_pages and leave compat_nr_pages at 0", () => {
    const c = cases.find((x) => x.label.startsWith("old-v4.2-basic/images/pagemap-"))!;
    expect(c.entries.every((e) => isFieldSet(e, pagemap_entrySchema.field.nrPages) && e.compatNrPages === 0)).toBe(true);
  });
});

describe("reads across entries and holes", () => {
  const adjacent = cases.flatMap((c) =>
    c.entries.slice(1).flatMap((b, k) => {
      const a = c.entries[k]!;
      const [ea, eb] = [c.expected[k]!, c.expected[k + 1]!];
      const joined = a.vaddr + BigInt(ea.nr * PAGE) === b.vaddr;
      return joined && ea.present && eb.present && !ea.inParent && !eb.inParent ? [{ c, a, ea, eb }] : [];
    }),
  );

  it("a read spanning two adjacent entries returns both entries' bytes", () => {
    expect(adjacent.length).toBeGreaterThan(0);
    for (const { c, a, ea, eb } of adjacent) {
      const start = a.vaddr + BigInt(ea.nr * PAGE - 100);
      const got = open(c).readSync(start, 300);
      const head = c.pages.subarray(ea.offset + ea.nr * PAGE - 100, ea.offset + ea.nr * PAGE);
      const tail = c.pages.subarray(eb.offset, eb.offset + 200);
      expect(got).toEqual(new Uint8Array([...head, ...tail]));
    }
  });

  it("a read into a hole is a typed error naming the address", () => {
    const c = cases.find((x) => x.label.startsWith("old-v4.2-basic/images/pagemap-"))!;
    const reader = open(c);
    const k = c.entries.findIndex((e, i) => i > 0 && c.entries[i - 1]!.vaddr + BigInt(c.expected[i - 1]!.nr * PAGE) < e.vaddr);
    const gap = c.entries[k - 1]!.vaddr + BigInt(c.expected[k - 1]!.nr * PAGE);
    const err = catchError(() => reader.readSync(gap - 16n, 32));
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).kind).toBe("bad-payload");
    expect((err as ImageError).message).toContain(`0x${gap.toString(16)}`);
    expect((err as ImageError).message).toContain("hole");
    expect(() => reader.readSync(0n, 1)).toThrow(ImageError);
    const zeros = openPageReader(c.dir, Number(/\d+/.exec(c.file)![0]), { missing: "zeros" }).readSync(gap - 16n, 32);
    expect(zeros.subarray(16)).toEqual(new Uint8Array(16));
    expect(zeros.subarray(0, 16)).toEqual(reader.readSync(gap - 16n, 16));
  });

  it("random sub-ranges of present entries equal the matching slices of pages-N.img", () => {
    const present = cases.flatMap((c) =>
      c.entries.flatMap((e, i) => (c.expected[i]!.present && !c.expected[i]!.inParent ? [{ c, e, x: c.expected[i]! }] : [])),
    );
    const readers = new Map(cases.map((c) => [c, createPageReader({ pagemap: c.entries, pages: c.pages })]));
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n, s, l) => {
        const { c, e, x } = present[n % present.length]!;
        const size = x.nr * PAGE;
        const start = Math.floor(s * (size - 1));
        const length = Math.floor(l * (size - start));
        const got = readers.get(c)!.readSync(e.vaddr + BigInt(start), length);
        expectBytes(got, c.pages.subarray(x.offset + start, x.offset + start + length));
      }),
      { numRuns: 500 },
    );
  });
});

describe("normalisation and checks (synthetic entries)", () => {
  const entry = (init: MessageInitShape<typeof pagemap_entrySchema>) => create(pagemap_entrySchema, init);

  it("applies CRIU's compat rules: no flags means PE_PRESENT, in_parent means PE_PARENT", () => {
    const runs = pagemapLayout([
      entry({ vaddr: 0x1000n, compatNrPages: 2 }),
      entry({ vaddr: 0x3000n, compatNrPages: 1, inParent: true }),
      entry({ vaddr: 0x5000n, nrPages: 3n, flags: PE_LAZY }),
      entry({ vaddr: 0x9000n, nrPages: 1n, flags: PE_LAZY | PE_PRESENT }),
    ]);
    expect(runs.map((r) => [r.flags, r.nrPages, r.pagesOffset])).toEqual([
      [PE_PRESENT, 2n, 0n],
      [PE_PARENT, 1n, undefined],
      [PE_LAZY, 3n, undefined],
      [PE_LAZY | PE_PRESENT, 1n, 0x2000n],
    ]);
  });

  it("lazy-only pages are a typed error, or zeros on request", () => {
    const pagemap = [entry({ vaddr: 0n, nrPages: 1n, flags: PE_LAZY }), entry({ vaddr: 0x1000n, nrPages: 1n })];
    const pages = new Uint8Array(PAGE).fill(7);
    const err = catchError(() => createPageReader({ pagemap, pages }).readSync(0xff0n, 32));
    expect((err as ImageError).kind).toBe("bad-payload");
    expect((err as ImageError).message).toContain("PE_LAZY");
    const got = createPageReader({ pagemap, pages, missing: "zeros" }).readSync(0xff0n, 32);
    expect([...got]).toEqual([...new Array(16).fill(0), ...new Array(16).fill(7)]);
  });

  it("reads in-parent runs from an async parent", async () => {
    const parent = createPageReader({
      pagemap: [entry({ vaddr: 0n, nrPages: 2n })],
      pages: async (offset, length) => new Uint8Array(length).map((_, i) => (offset + i) & 0xff),
    });
    const child = createPageReader({ pagemap: [entry({ vaddr: 0x1000n, nrPages: 1n, flags: PE_PARENT })], pages: new Uint8Array(0), parent });
    expect([...(await child.read(0x1000n, 4))]).toEqual([0, 1, 2, 3]);
  });

  it("rejects pages shorter than the present entries, and unordered entries", () => {
    const pagemap = [entry({ vaddr: 0n, nrPages: 2n })];
    const err = catchError(() => createPageReader({ pagemap, pages: new Uint8Array(PAGE) }));
    expect((err as ImageError).kind).toBe("truncated");
    expect(() => createPageReader({ pagemap, pages: () => new Uint8Array(0), pagesSize: PAGE })).toThrow(ImageError);
    expect(() => pagemapLayout([entry({ vaddr: 0x2000n, nrPages: 1n }), entry({ vaddr: 0x1000n, nrPages: 1n })])).toThrow(
      ImageError,
    );
  });
});
