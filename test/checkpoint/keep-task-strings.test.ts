// keepTaskStrings: the pass that opens a compressed archive keeps the pages of every task's argv
// and environment, so that openCheckpoint reads them without decompressing the archive again,
// and finds the same strings.

import { describe, expect, it } from "vitest";
import { keepTaskStrings } from "../../src/checkpoint/model/keep-task-strings";
import { openCheckpoint } from "../../src/checkpoint/model/open";
import { openArchive, type OpenArchiveOptions } from "../../src/source/archive";
import { readFixture } from "../support/fixtures";

/** The archive with its pages images too large to be kept whole (over 40 KiB), counting its passes. */
async function opened(fixture: string, options: OpenArchiveOptions) {
  const bytes = readFixture(fixture);
  let passes = 0;
  const source = await openArchive(
    {
      label: fixture,
      length: bytes.length,
      readAt: async (offset, length) => bytes.subarray(offset, offset + length),
      replay: async function* () {
        passes++;
        for (let at = 0; at < bytes.length; at += 8192) yield bytes.subarray(at, at + 8192);
      },
    },
    { keep: { smallMemberBytes: 40 << 10 }, ...options },
  );
  const checkpoint = await openCheckpoint(source);
  return { checkpoint, source, passes: () => passes };
}

const strings = (c: Awaited<ReturnType<typeof opened>>["checkpoint"]) => c.tasks.map((t) => [t.pid, t.argv, t.environ]);

describe.each(["archives/podman-forensics.tar.zst", "archives/podman-busybox.tar.xz"])("%s", (fixture) => {
  it("opens in one pass with the same argv and environment as with two", async () => {
    const twice = await opened(fixture, {});
    const once = await opened(fixture, { keepRanges: keepTaskStrings });
    expect(twice.passes()).toBe(2);
    expect(once.passes()).toBe(1);
    expect(strings(once.checkpoint)).toEqual(strings(twice.checkpoint));
    expect(once.checkpoint.tasks.every((t) => t.argv !== undefined && t.argv.length > 0)).toBe(true);
    expect(once.checkpoint.warnings).toEqual(twice.checkpoint.warnings);
  });

  it("reads a range outside the kept pages with another pass, and the kept ones without", async () => {
    const { source, passes } = await opened(fixture, { keepRanges: keepTaskStrings });
    const pages = (await source.members()).find((m) => /pages-1\.img$/.test(m.name))!;
    const whole = await source.read(pages.name);
    expect(passes()).toBe(2);
    const [last] = await source.readRanges([{ name: pages.name, offset: pages.size - 16, length: 16 }]);
    expect(last).toEqual(whole.subarray(pages.size - 16));
    expect(passes()).toBe(3);
    // The ranges the hook names (from mm and pagemap images, kept whole), read again: no pass.
    const small = (await source.members()).filter((m) => /(mm|pagemap)-\d+\.img$/.test(m.name));
    const kept = new Map(await Promise.all(small.map(async (m) => [m.name, await source.read(m.name)] as const)));
    const ranges = keepTaskStrings(pages, kept);
    expect(ranges.length).toBeGreaterThan(0);
    const again = await source.readRanges(ranges.map((r) => ({ name: pages.name, ...r })));
    expect(again).toEqual(ranges.map((r) => whole.subarray(r.offset, r.offset + r.length)));
    expect(passes()).toBe(3);
  });
});

it("keeps nothing of members that are not pages images, or without their mm and pagemap", () => {
  const kept = new Map<string, Uint8Array>();
  expect(keepTaskStrings({ name: "checkpoint/pages-1.img", size: 1 << 20, type: "file" }, kept)).toEqual([]);
  expect(keepTaskStrings({ name: "rootfs-diff.tar", size: 1 << 20, type: "file" }, kept)).toEqual([]);
  kept.set("checkpoint/pagemap-1.img", new Uint8Array([1, 2, 3]));
  kept.set("checkpoint/mm-1.img", new Uint8Array([1, 2, 3]));
  expect(keepTaskStrings({ name: "checkpoint/pages-1.img", size: 1 << 20, type: "file" }, kept)).toEqual([]);
});
