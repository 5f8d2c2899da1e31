// A real Podman checkpoint archive with GiBs of memory, for timing whole commands against
// checkpointctl: test/fixtures/archives/podman-forensics.tar.zst (engine files at the top, images
// under checkpoint/) with one more anonymous mapping in process 1, whose pages (made by
// pageFiller) hold a planted needle string. Written once as a plain tar, then compressed with the
// gzip and zstd tools (the same content in every kind).

import { execFileSync, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { pageFiller } from "./archive";
import { repoRoot } from "./paths";
import { tarHeader } from "../test/support/tar-writer";

export type ArchiveKind = "tar" | "tar.gz" | "tar.zst";

export interface CheckpointArchive {
  files: Record<ArchiveKind, string>;
  sizes: Record<ArchiveKind, number>;
  /** Bytes of the added mapping (all its pages are in pages-1.img). */
  mappingBytes: number;
  /** Where the needle is in process 1's memory. */
  needle: string;
  needleAddress: number;
  pid: number;
  generateSeconds: number;
}

const PAGE = 4096;
const FIXTURE = join(repoRoot, "test", "fixtures", "archives", "podman-forensics.tar.zst");
/** The added mapping's start: between the heap and the libraries of process 1. */
const MAPPING_START = 0x7f00_0000_0000;
const NEEDLE = "criu-bench-needle-5b1f0c7e";
const PID = 1;
const CRIT = join(repoRoot, "dist", "crit.cjs");

type Json = Record<string, unknown> & { entries: Record<string, unknown>[] };

function critJson(file: string): Json {
  return JSON.parse(execFileSync("node", [CRIT, "decode", "-i", file], { encoding: "utf8", maxBuffer: 64 << 20 })) as Json;
}

function critEncode(json: Json, out: string): void {
  execFileSync("node", [CRIT, "encode", "-o", out], { input: JSON.stringify(json) });
}

/** Generates the three archives in `dir`; `mappingBytes` is rounded down to whole pages. */
export async function prepareCheckpointArchives(dir: string, mappingBytes: number): Promise<CheckpointArchive> {
  const started = performance.now();
  const pages = Math.floor(mappingBytes / PAGE);
  const tree = join(dir, "fixture");
  mkdirSync(tree, { recursive: true });
  execFileSync("tar", ["-C", tree, "--zstd", "-xf", FIXTURE]);
  const order = execFileSync("tar", ["--zstd", "-tf", FIXTURE], { encoding: "utf8" }).split("\n").filter(Boolean);

  // pagemap-1.img: one more run of present pages; its pages go after the runs at lower addresses.
  const pagemap = critJson(join(tree, "checkpoint", `pagemap-${PID}.img`));
  const runs = pagemap.entries.slice(1) as { vaddr: number; nr_pages: number }[];
  const at = runs.findIndex((r) => r.vaddr > MAPPING_START);
  const pagesBefore = runs.slice(0, at).reduce((n, r) => n + r.nr_pages, 0);
  pagemap.entries.splice(1 + at, 0, { vaddr: MAPPING_START, compat_nr_pages: 0, flags: 4, nr_pages: pages });
  critEncode(pagemap, join(dir, "pagemap.img"));
  // mm-1.img: the mapping as a private anonymous read-write VMA.
  const mm = critJson(join(tree, "checkpoint", `mm-${PID}.img`));
  const vmas = mm.entries[0]!.vmas as { start: number }[];
  const vma = { start: MAPPING_START, end: MAPPING_START + pages * PAGE, pgoff: 0, shmid: 0, prot: 3, flags: 34, status: 513, fd: -1 };
  vmas.splice(vmas.findIndex((v) => v.start > MAPPING_START), 0, vma);
  critEncode(mm, join(dir, "mm.img"));
  const pagesId = (pagemap.entries[0] as { pages_id: number }).pages_id;
  const oldPages = readFileSync(join(tree, "checkpoint", `pages-${pagesId}.img`));

  // The needle: in the last quarter of the mapping, inside a page's zero tail.
  const needlePage = Math.floor(pages * 0.8);
  const needleOffset = needlePage * PAGE + 3000;
  const fill = pageFiller();
  const planted = (chunk: Uint8Array, offset: number) => {
    fill(chunk, offset);
    const i = needleOffset - offset;
    if (i >= 0 && i < chunk.length) chunk.set(new TextEncoder().encode(NEEDLE).subarray(0, chunk.length - i), i);
  };

  const tar = join(dir, "checkpoint.tar");
  const fd = openSync(tar, "w");
  const write = (bytes: Uint8Array) => writeSync(fd, bytes);
  const pad = (size: number) => size % 512 && write(new Uint8Array(512 - (size % 512)));
  for (const name of order) {
    if (name.endsWith("/")) {
      write(tarHeader(name, 0, "5"));
      continue;
    }
    const replaced =
      name === `checkpoint/pagemap-${PID}.img` ? readFileSync(join(dir, "pagemap.img")) : name === `checkpoint/mm-${PID}.img` ? readFileSync(join(dir, "mm.img")) : undefined;
    if (name !== `checkpoint/pages-${pagesId}.img`) {
      const data = replaced ?? readFileSync(join(tree, name));
      write(tarHeader(name, data.length, "0"));
      write(data);
      pad(data.length);
      continue;
    }
    const size = oldPages.length + pages * PAGE;
    write(tarHeader(name, size, "0"));
    write(oldPages.subarray(0, pagesBefore * PAGE));
    const chunk = new Uint8Array(1 << 20);
    for (let offset = 0; offset < pages * PAGE; offset += chunk.length) {
      const part = chunk.subarray(0, Math.min(chunk.length, pages * PAGE - offset));
      planted(part, offset);
      write(part);
    }
    write(oldPages.subarray(pagesBefore * PAGE));
    pad(size);
  }
  write(new Uint8Array(1024));
  closeSync(fd);

  // gzip and zstd side by side (2 cores), at their fastest levels as in the archive case.
  const compress = (argv: string[], out: string) =>
    new Promise<void>((resolve, reject) => {
      const p = spawn(argv[0]!, [...argv.slice(1), tar], { stdio: ["ignore", openSync(out, "w"), "inherit"] });
      p.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${argv[0]} exited ${code}`))));
    });
  const files: Record<ArchiveKind, string> = { tar, "tar.gz": `${tar}.gz`, "tar.zst": `${tar}.zst` };
  await Promise.all([compress(["gzip", "-1", "-c"], files["tar.gz"]), compress(["zstd", "-1", "-q", "-c"], files["tar.zst"])]);
  const sizes = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, statSync(f).size])) as Record<ArchiveKind, number>;
  return {
    files,
    sizes,
    mappingBytes: pages * PAGE,
    needle: NEEDLE,
    needleAddress: MAPPING_START + needleOffset,
    pid: PID,
    generateSeconds: (performance.now() - started) / 1000,
  };
}
