// zstd archives in Node go through the system's zstd tool when there is one: the same bytes as
// the built-in decoder in any chunking, damage a SourceError (structure errors found on the
// compressed side keep their offsets), the child stopped when the reader stops, and the choice
// made by CRIU_IMAGES_ZSTD and PATH.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { openArchiveFile } from "../../src/node/archive-file";
import { zstdBinary, zstdProcess } from "../../src/node/unzstd";
import { decompress, type PlatformDecoders } from "../../src/source/decompress";
import { SourceError } from "../../src/source/source";
import { readFixture } from "../support/fixtures";
import { readEverything, sameFiles } from "../support/sources";
import { chunked, decodeAll as decodeWith, decodesAnyFrames, frame, h64Raw, le } from "../support/zstd-build";

const work = mkdtempSync(join(tmpdir(), "unzstd-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("which zstd decoder", () => {
  it("CRIU_IMAGES_ZSTD names a binary, or 'builtin'; otherwise the first zstd on PATH", () => {
    const bin = join(work, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "zstd"), "#!/bin/sh\n");
    chmodSync(join(bin, "zstd"), 0o755);
    mkdirSync(join(work, "dir-named-zstd", "zstd"), { recursive: true });
    expect(zstdBinary({ PATH: `relative:${join(work, "dir-named-zstd")}:${bin}` })).toBe(join(bin, "zstd"));
    expect(zstdBinary({ PATH: join(work, "dir-named-zstd") })).toBeUndefined();
    expect(zstdBinary({ PATH: bin, CRIU_IMAGES_ZSTD: "builtin" })).toBeUndefined();
    expect(zstdBinary({ PATH: "", CRIU_IMAGES_ZSTD: join(bin, "zstd") })).toBe(join(bin, "zstd"));
    expect(() => zstdBinary({ CRIU_IMAGES_ZSTD: join(work, "nothing-here") })).toThrow(/CRIU_IMAGES_ZSTD=.*nothing-here: not an executable file/);
  });
});

const tool = zstdBinary({ PATH: process.env.PATH });
const hasTool = tool !== undefined && spawnSync(tool, ["--version"]).status === 0;
if (!hasTool) console.warn("test/node/unzstd.test.ts: no zstd tool on PATH (apt-get install zstd); the tool's tests are skipped");

describe.skipIf(!hasTool)("zstd through the zstd tool", () => {
  const decoders: PlatformDecoders = { zstd: zstdProcess(tool!) };
  const decodeAll = (bytes: Uint8Array, sizes?: number[], with_ = decoders) => decodeWith(bytes, sizes, with_);

  it("decodes any sequence of frames, in any chunking, to their content", () => decodesAnyFrames(decoders, 40));

  it("a wrong checksum, or a frame longer or shorter than its header says, is corrupt", async () => {
    const content = [7, 8, 9];
    const sum = le(Number(h64Raw(Uint8Array.from(content)) & 0xffffffffn), 4);
    const good = [0x28, 0xb5, 0x2f, 0xfd, 0x24, 3, ...le(1 | (3 << 3), 3), ...content, ...sum];
    expect([...(await decodeAll(Uint8Array.from(good)))]).toEqual(content);
    for (const [at, value] of [
      [5, 4], // content size 4
      [5, 2], // content size 2
      [good.length - 1, good[good.length - 1]! ^ 1], // checksum
    ] as const) {
      const bad = good.slice();
      bad[at] = value;
      const err = await decodeAll(Uint8Array.from(bad)).catch((e: unknown) => e);
      expect(err, `byte ${at} = ${value}`).toBeInstanceOf(SourceError);
      expect(err).toMatchObject({ kind: "corrupt", source: "test.zst" });
      expect((err as Error).message).toContain(tool!);
    }
  });

  it("structure errors keep the built-in checks' offsets: truncation, junk between frames, a window too large", async () => {
    const { bytes } = frame({ blocks: [{ rle: false, data: Uint8Array.of(1, 2, 3) }], checksum: true, skippableBefore: undefined });
    const cut = await decodeAll(Uint8Array.from(bytes.slice(0, bytes.length - 2))).catch((e: unknown) => e);
    expect(cut).toMatchObject({ kind: "truncated", offset: bytes.length - 2 });
    const junk = await decodeAll(Uint8Array.from([...bytes, 1, 2, 3, 4])).catch((e: unknown) => e);
    expect(junk).toMatchObject({ kind: "corrupt", offset: bytes.length });
    expect((junk as Error).message).toContain(`no zstd frame at compressed byte ${bytes.length} (found 01 02 03 04)`);
    const wide = bytes.slice();
    wide[5] = 0x90; // window 2^28
    expect(await decodeAll(Uint8Array.from(wide)).catch((e: unknown) => e)).toMatchObject({ kind: "unsupported", offset: 5 });
  });

  it("the corpus archive: the same bytes as the built-in decoder; one changed byte is a SourceError or changes nothing", async () => {
    const zst = readFixture("archives/podman-forensics.tar.zst");
    const whole = await decodeAll(zst, [4096]);
    expect(whole.equals(await decodeAll(zst, [4096], {}))).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: zst.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, delta) => {
        const damaged = new Uint8Array(zst);
        damaged[at] = (damaged[at]! + delta) % 256;
        const result = await decodeAll(damaged, [4096]).catch((e: unknown) => e);
        if (result instanceof Buffer) expect(result.equals(whole), `byte ${at} changed the output, not noticed`).toBe(true);
        else expect(result).toBeInstanceOf(SourceError);
      }),
      { numRuns: 40 },
    );
  });

  it("a reader that stops early stops the tool", async () => {
    // 4 MiB of zeros in RLE blocks: far more output than the pipes hold.
    const blocks = Array.from({ length: 32 }, () => ({ rle: true, data: new Uint8Array(128 << 10) }));
    const { bytes } = frame({ blocks, checksum: false, skippableBefore: undefined });
    const before = childCount();
    for await (const chunk of decompress("zstd", chunked(Uint8Array.from(bytes), [4096]), "big.zst", decoders)) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    expect(childCount()).toBe(before);
  });

  it("an archive file read with the tool gives the members the built-in decoder gives", async () => {
    const file = join(work, "forensics.tar.zst");
    writeFileSync(file, readFixture("archives/podman-forensics.tar.zst"));
    const withTool = await readEverything(() => openArchiveFile(file, { decoders }));
    const builtin = await readEverything(() => openArchiveFile(file, { decoders: { zstd: undefined } }));
    expect(withTool.members).toEqual(builtin.members);
    expect(sameFiles(withTool.files, builtin.files)).toEqual([]);
  });
});

/** This process's live children (from /proc: each child's status names its parent). */
function childCount(): number {
  const out = spawnSync("sh", ["-c", `grep -l "^PPid:\\s*${process.pid}$" /proc/[0-9]*/status 2>/dev/null | wc -l`], { encoding: "utf8" });
  return Number(out.stdout.trim());
}
