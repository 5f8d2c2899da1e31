// The archive case: a checkpoint-like archive with GiBs of pages, compressed with the `zstd`
// tool (Podman's default format), streamed page member by page member through
// CheckpointSource.stream(). Measures peak RSS and the bytes the process writes (none expected:
// nothing is extracted). Skipped, with the reason, when the `zstd` tool is not installed.

import { spawn, spawnSync } from "node:child_process";
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Budget } from "./measure";
import { runChild } from "./spawn";
import { tarHeader } from "../test/support/tar-writer";

export interface BenchArchive {
  file: string;
  /** Bytes of pages-*.img members in the archive. */
  pageBytes: number;
  archiveBytes: number;
  generateSeconds: number;
}

const PAGE = 4096;
const MEMBER = 1 << 30; // pages-N.img members of 1 GiB (the last one smaller)

export async function prepareArchive(dir: string, pageBytes: number): Promise<BenchArchive | { unavailable: string }> {
  if (spawnSync("zstd", ["--version"]).status !== 0) return { unavailable: "the zstd tool is not installed (apt-get install zstd)" };
  const file = join(dir, "checkpoint.tar.zst");
  const started = performance.now();
  const zstd = spawn("zstd", ["-1", "-q", "-f", "-o", file], { stdio: ["pipe", "ignore", "inherit"] });
  const done = new Promise<number>((resolve) => zstd.on("close", (code) => resolve(code ?? 1)));
  const write = (bytes: Uint8Array) => (zstd.stdin.write(bytes) ? Promise.resolve() : new Promise<void>((r) => zstd.stdin.once("drain", () => r())));
  const member = async (name: string, size: number, fill: (chunk: Uint8Array, offset: number) => void) => {
    await write(tarHeader(name, size, "0"));
    const chunk = new Uint8Array(1 << 20);
    for (let at = 0; at < size; at += chunk.length) {
      const part = chunk.subarray(0, Math.min(chunk.length, size - at));
      fill(part, at);
      await write(part);
    }
    if (size % 512) await write(new Uint8Array(512 - (size % 512)));
  };
  const text = (s: string) => (chunk: Uint8Array) => chunk.set(new TextEncoder().encode(s).subarray(0, chunk.length));
  const spec = JSON.stringify({ ociVersion: "1.0.2", process: { args: ["/bin/app"] } });
  await member("config.dump", spec.length, text(spec));
  await member("spec.dump", spec.length, text(spec));
  await member("checkpoint/inventory.img", 64, (c) => c.fill(7));
  const pages = pageFiller();
  for (let n = 1, left = pageBytes; left > 0; n++, left -= MEMBER) {
    await member(`checkpoint/pages-${n}.img`, Math.min(MEMBER, left), pages);
  }
  await member("checkpoint/pstree.img", 64, (c) => c.fill(1));
  await write(new Uint8Array(1024));
  zstd.stdin.end();
  if ((await done) !== 0) return { unavailable: "zstd failed" };
  return { file, pageBytes, archiveBytes: statSync(file).size, generateSeconds: (performance.now() - started) / 1000 };
}

/**
 * Fills chunks of page bytes that compress several-fold, like real memory: each page starts with
 * its number, holds 1 KiB of noise (from a 16 MiB random block, larger than zstd -1's window, at a
 * shifting place) and zeros. `offset` is the chunk's place in the page bytes.
 */
export function pageFiller(): (chunk: Uint8Array, offset: number) => void {
  const noise = new Uint8Array(16 << 20);
  let seed = 0x9e3779b9;
  for (let i = 0; i < noise.length; i++) noise[i] = (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 24;
  return (chunk, offset) => {
    chunk.fill(0);
    for (let p = 0; p < chunk.length; p += PAGE) {
      const index = (offset + p) / PAGE;
      new DataView(chunk.buffer, chunk.byteOffset + p, 8).setFloat64(0, index);
      const from = (index * 1031 * 4) % (noise.length - 1024);
      chunk.set(noise.subarray(from, from + 1024), p + 8);
    }
  };
}

export interface ArchiveFigures {
  skipped?: string;
  pageGiB?: number;
  archiveMB?: number;
  generateSeconds?: number;
  seconds?: number;
  pagesMBps?: number;
  peakRssMB?: number;
  /** Bytes the streaming process sent to storage while it ran (/proc/self/io write_bytes): 0 expected. */
  diskWriteBytes?: number;
  /** Bytes of all its write calls (wchar: pipes and libuv's wake-up eventfd included). */
  writeCallBytes?: number;
  streamedAllPages?: boolean;
  error?: string;
}

/** Generates the archive (BENCH_ARCHIVE_GIB of pages, default 2; 0.25 for a quick run) and streams it once, in a child. */
export async function measureArchive(dir: string, quick: boolean, budget: Budget, log: (line: string) => void): Promise<ArchiveFigures> {
  const gib = Number(process.env.BENCH_ARCHIVE_GIB ?? (quick ? 0.25 : 2));
  const archive = await prepareArchive(dir, Math.round(gib * 2 ** 30 / PAGE) * PAGE);
  if ("unavailable" in archive) {
    log(`archive case skipped: ${archive.unavailable}`);
    return { skipped: archive.unavailable };
  }
  const r = runChild({ case: "archive-stream", file: archive.file, budget: { ...budget, minRuns: 0, maxRuns: 1 } });
  rmSync(archive.file, { force: true });
  const figures: ArchiveFigures = {
    pageGiB: gib,
    archiveMB: Math.round(archive.archiveBytes / 2 ** 20),
    generateSeconds: Number(archive.generateSeconds.toFixed(1)),
    seconds: r.seconds === undefined ? undefined : Number(r.seconds.toFixed(2)),
    pagesMBps: r.seconds === undefined ? undefined : Math.round(archive.pageBytes / 2 ** 20 / r.seconds),
    peakRssMB: Math.round(r.peakRssMB),
    diskWriteBytes: r.diskWriteBytes,
    writeCallBytes: r.writeCallBytes,
    streamedAllPages: r.streamedBytes === archive.pageBytes,
    error: r.error,
  };
  log(`archive: ${JSON.stringify(figures)}`);
  return figures;
}
