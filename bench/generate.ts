// Large, realistic images built from the corpus shapes: real entries repeated with their
// addresses and ids varied, encoded by our own encoder. Everything is a generator, so that even
// the 1 GiB pipes-data image is written entry by entry and never held in memory.

import { open } from "node:fs/promises";
import { clone } from "@bufbuild/protobuf";
import { encodeImageStream } from "../src/image/stream";
import type { EntriesOf, PipeDataEntry } from "../src/image/entries";
import type { ImageMagic } from "../src/image/magic-table";
import {
  core_entrySchema,
  file_entrySchema,
  mm_entrySchema,
  pagemap_entrySchema,
  pipe_data_entrySchema,
  vma_entrySchema,
  type core_entry,
  type file_entry,
  type mm_entry,
  type pagemap_entry,
  type pagemap_head,
} from "../src/schema/all";
import type { Shapes } from "./shapes";

const PAGE = 4096n;

/** pagemap_head, then `count` runs laid out upwards with the real flags and run lengths. */
export function* pagemapEntries(shapes: Shapes, count: number): Generator<pagemap_head | pagemap_entry> {
  yield shapes.pagemapHead;
  let vaddr = 0x400000n;
  for (let i = 0; i < count; i++) {
    const entry = clone(pagemap_entrySchema, shapes.pagemapEntries[i % shapes.pagemapEntries.length]!);
    entry.vaddr = vaddr;
    const pages = entry.nrPages || BigInt(entry.compatNrPages) || 1n;
    vaddr += (pages + BigInt(i % 3)) * PAGE; // runs separated by holes of 0–2 pages
    yield entry;
  }
}

/** `count` files: the corpus's files.img entries in turn, each with a new id (and name, inode). */
export function* fileEntries(shapes: Shapes, count: number): Generator<file_entry> {
  for (let i = 0; i < count; i++) {
    const entry = clone(file_entrySchema, shapes.files[i % shapes.files.length]!);
    const id = i + 1;
    entry.id = id;
    for (const field of file_entrySchema.fields) {
      if (field.fieldKind !== "message") continue;
      const sub = (entry as unknown as Record<string, Record<string, unknown> | undefined>)[field.localName];
      if (!sub) continue;
      if (typeof sub.id === "number") sub.id = id;
      if (typeof sub.ino === "number") sub.ino = (sub.ino + i) >>> 0;
      if (typeof sub.name === "string" && sub.name.startsWith("/srv/")) sub.name = `${sub.name}.${i}`;
    }
    yield entry;
  }
}

/** `count` mm entries of `vmasEach` VMAs: the real mapping layout repeated upwards, per process. */
export function* mmEntries(shapes: Shapes, count: number, vmasEach: number): Generator<mm_entry> {
  const real = shapes.mm.vmas;
  for (let i = 0; i < count; i++) {
    const mm = clone(mm_entrySchema, shapes.mm);
    const shift = BigInt(i) << 24n;
    mm.mmStartBrk += shift;
    mm.mmBrk += shift;
    mm.exeFileId = i + 1;
    mm.vmas = [];
    let start = 0x400000n + shift;
    for (let k = 0; k < vmasEach; k++) {
      const vma = clone(vma_entrySchema, real[k % real.length]!);
      const length = vma.end - vma.start;
      vma.start = start;
      vma.end = start + length;
      if (vma.shmid !== 0n) vma.shmid = BigInt(i * vmasEach + k + 1);
      start = vma.end + PAGE * BigInt(k % 4);
      mm.vmas.push(vma);
    }
    yield mm;
  }
}

/** `count` core entries (one per thread) with their registers and names varied. */
export function* coreEntries(shapes: Shapes, count: number): Generator<core_entry> {
  for (let i = 0; i < count; i++) {
    const core = clone(core_entrySchema, shapes.core);
    const regs = core.threadInfo?.gpregs;
    if (regs) {
      regs.ip += BigInt(i * 16);
      regs.sp -= BigInt(i * 4096);
      regs.ax = BigInt(i);
    }
    if (core.threadInfo) core.threadInfo.clearTidAddr += BigInt(i * 8);
    if (core.tc) core.tc.comm = `${core.tc.comm.slice(0, 9)}-${i % 100000}`;
    yield core;
  }
}

/** Pipe buffers of `chunk` bytes each, `total` bytes in all, with pseudo-random contents. */
export function* pipeDataEntries(shapes: Shapes, total: number, chunk: number): Generator<PipeDataEntry> {
  const buffers = [0, 1, 2, 3].map((seed) => noise(chunk, seed + 1));
  for (let i = 0, done = 0; done < total; i++) {
    const bytes = Math.min(chunk, total - done);
    const entry = clone(pipe_data_entrySchema, shapes.pipe);
    entry.pipeId = shapes.pipe.pipeId + i;
    entry.bytes = bytes;
    entry.size = Math.max(entry.size ?? 0, chunk);
    yield { entry, data: buffers[i % buffers.length]!.subarray(0, bytes) };
    done += bytes;
  }
}

function noise(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed * 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export interface Written {
  bytes: number;
  entries: number;
}

/** Encodes entries with encodeImageStream into `path`, in 4 MiB writes. */
export async function writeImage<M extends ImageMagic>(path: string, magic: M, entries: Iterable<EntriesOf<M>[number]>): Promise<Written> {
  const file = await open(path, "w");
  let bytes = 0;
  let count = -1; // the header chunk is not an entry
  const batch: Uint8Array[] = [];
  let batched = 0;
  const flush = async () => {
    await file.write(Buffer.concat(batch));
    batch.length = 0;
    batched = 0;
  };
  try {
    for await (const chunk of encodeImageStream(magic, entries, { fileName: path })) {
      batch.push(chunk);
      batched += chunk.length;
      bytes += chunk.length;
      count++;
      if (batched >= 4 << 20) await flush();
    }
    await flush();
  } finally {
    await file.close();
  }
  return { bytes, entries: count };
}

