// Pages: two dump directories that differ in one byte of one page; the diff names that page's
// address, whatever the chunk size, on directories and against the archive.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffCheckpoints } from "../../../src/index";
import { FORENSICS, FORENSICS_IMAGES, open } from "./open";

const work = mkdtempSync(join(tmpdir(), "crit-diff-pages-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the forensics images with one byte of pages-1.img changed. */
function dumpWithByteChanged(name: string, offset: number): string {
  const dir = join(work, name);
  cpSync(FORENSICS_IMAGES, dir, { recursive: true });
  const pages = readFileSync(join(dir, "pages-1.img"));
  pages[offset] = pages[offset]! ^ 0xff;
  writeFileSync(join(dir, "pages-1.img"), pages);
  return dir;
}

describe("diffCheckpoints pages", () => {
  // SCENARIO.md: the needle is at vaddr 0x1f4d5200 of PID 1, pages-1.img offset 0xc200.
  const changed = dumpWithByteChanged("needle-page", 0xc200);

  it.each([1, 3, 256])("names the one changed page (chunks of %i pages)", async (chunkPages) => {
    const d = await diffCheckpoints(await open(FORENSICS_IMAGES), await open(changed), { chunkPages });
    const pages = d.memory.tasks.map((t) => [t.pid, t.pages!.changed, t.pages!.resident, t.pages!.onlyInA, t.pages!.onlyInB]);
    expect(pages).toEqual([
      [1, ["0x1f4d5000"], { a: 22, b: 22 }, 0, 0],
      [6, [], { a: 16, b: 16 }, 0, 0],
      [7, [], { a: 16, b: 16 }, 0, 0],
    ]);
  });

  it("compares an archive with a dump directory", async () => {
    const d = await diffCheckpoints(await open(FORENSICS), await open(changed));
    expect(d.memory.tasks.flatMap((t) => t.pages!.changed)).toEqual(["0x1f4d5000"]);
  });

  it("skips the comparison when asked", async () => {
    const d = await diffCheckpoints(await open(FORENSICS_IMAGES), await open(changed), { pages: false });
    expect(d.memory.tasks.every((t) => t.pages === null)).toBe(true);
  });

  it("reports progress in bytes of pages held by both, up to the total", async () => {
    const seen: { done: number; total: number }[] = [];
    await diffCheckpoints(await open(FORENSICS_IMAGES), await open(changed), { chunkPages: 4, onProgress: (p) => seen.push(p) });
    const total = (22 + 16 + 16) * 4096;
    expect(seen[0]).toEqual({ done: 0, total });
    expect(seen.at(-1)).toEqual({ done: total, total });
    expect(seen.every((p, i) => i === 0 || p.done > seen[i - 1]!.done)).toBe(true);
    expect(seen.length).toBeGreaterThan(3);
  });

  it("stops when its signal is aborted, rejecting with the signal's reason", async () => {
    const stop = new AbortController();
    const reason = new Error("stopped by the test");
    const run = diffCheckpoints(await open(FORENSICS_IMAGES), await open(changed), {
      chunkPages: 1,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.done >= 8 * 4096) stop.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
    // Without pages, the signal is not looked at.
    const d = await diffCheckpoints(await open(FORENSICS_IMAGES), await open(changed), { pages: false, signal: stop.signal });
    expect(d.memory.tasks.length).toBe(3);
  });

  it("reports a task whose pages cannot be read instead of throwing", async () => {
    const dir = join(work, "no-pagemap");
    cpSync(FORENSICS_IMAGES, dir, { recursive: true });
    rmSync(join(dir, "pagemap-6.img"));
    const d = await diffCheckpoints(await open(FORENSICS_IMAGES), await open(dir));
    const six = d.memory.tasks.find((t) => t.pid === 6)!;
    expect(six.pages!.error).toMatch(/pagemap-6\.img/);
  });
});
