import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { isRawImageStream, openImageStream } from "../../src/image/stream";
import {
  decodeImage,
  encodeImage,
  ipc_shm_entrySchema,
  pipe_data_entrySchema,
  type PipeDataEntry,
} from "../../src/index";
import {
  corpusFiles,
  cutEvery,
  decodeStreamed,
  errorFields,
  expectSameImage,
  outcome,
  readBytes,
  reusesBuffers,
  sourceOf,
  type CorpusFile,
  type SourceKind,
} from "./stream-helpers";
import { concatBytes } from "../../src/image/bytes";

/** The smallest corpus file of each image type, and every ghost file (plain and chunked). */
function sample(): CorpusFile[] {
  const smallest = new Map<string, { file: CorpusFile; size: number }>();
  const out: CorpusFile[] = [];
  for (const files of corpusFiles().values()) {
    for (const file of files) {
      const bytes = readBytes(file.path);
      const magic = decodeImage(bytes, { fileName: file.name }).magic;
      if (magic === "GHOST_FILE" && file.scenario === "proc-ghost") out.push(file);
      const best = smallest.get(magic);
      if (!best || bytes.length < best.size) smallest.set(magic, { file, size: bytes.length });
    }
  }
  return [...out, ...[...smallest.values()].map((s) => s.file)];
}

/** Every prefix length for small files; for big ones both ends in full and a stride between. */
function prefixLengths(size: number): number[] {
  if (size <= 1500) return Array.from({ length: size + 1 }, (_, i) => i);
  const out = new Set<number>();
  for (let i = 0; i <= 200; i++) out.add(i).add(size - i);
  for (let i = 0; i < size; i += Math.ceil(size / 300)) out.add(i);
  return [...out].sort((a, b) => a - b);
}

const u32 = (v: number) => new Uint8Array(new Uint32Array([v]).buffer);
const withLength = (message: Uint8Array) => concatBytes([u32(message.length), message]);
const headerOf = (magic: "PIPES_DATA" | "IPCNS_SHM") => encodeImage({ magic, entries: [] });

describe("truncated streams fail as truncated buffers do", () => {
  for (const file of sample()) {
    it(`${file.scenario}/${file.name}`, async () => {
      const bytes = readBytes(file.path);
      for (const length of prefixLengths(bytes.length)) {
        const prefix = bytes.slice(0, length);
        const want = await outcome(() => decodeImage(prefix, { fileName: file.name }));
        const chunked = cutEvery(prefix, Math.max(5, Math.ceil(length / 40)));
        const runs: [Uint8Array[], SourceKind][] = [
          [[prefix], "async"],
          [chunked, "async"],
          [chunked, length % 2 ? "read-into-reuse" : "read-into-sized-reuse"],
        ];
        for (const [chunks, kind] of runs) {
          const got = await outcome(() => decodeStreamed(sourceOf(chunks, kind), file.name, reusesBuffers(kind)));
          const where = `${file.path}, first ${length} bytes in ${chunks.length} chunks`;
          if (want.error) {
            expect(got.error, where).toBeDefined();
            expect(errorFields(got.error), where).toEqual(errorFields(want.error));
          } else {
            expect(got.error, where).toBeUndefined();
            expectSameImage(got.image!, want.image!);
          }
        }
      }
    });
  }
});

describe("length words larger than the data", () => {
  it("a pipe entry announcing 4 GiB of data: length-too-large at the end, only what arrived held", async () => {
    const entry = toBinary(pipe_data_entrySchema, create(pipe_data_entrySchema, { pipeId: 1, bytes: 0xffffffff }));
    const bytes = concatBytes([headerOf("PIPES_DATA"), withLength(entry), new Uint8Array(1000).fill(7)]);
    const want = await outcome(() => decodeImage(bytes, { fileName: "pipes-data.img" }));
    expect(want.error).toMatchObject({ kind: "length-too-large", entry: 0 });
    for (const kind of ["async", "read-into", "read-into-sized"] as const) {
      const stream = await openImageStream(sourceOf(cutEvery(bytes, 64), kind), { fileName: "pipes-data.img" });
      if (isRawImageStream(stream)) throw new Error("not a raw image");
      const got = await outcome(async () => {
        for await (const _ of stream.entries) throw new Error("no entry expected");
        throw new Error("an error expected");
      });
      expect(errorFields(got.error)).toEqual(errorFields(want.error));
      // A reader without a size grows its buffer as bytes arrive: at most about twice them.
      expect(stream.maxBuffered).toBeLessThanOrEqual(kind === "async" ? bytes.length : 2 * bytes.length + (64 << 10));
    }
  });

  it("a u64 size beyond 2^53 (ipc shm segment): the same error as decodeImage", async () => {
    const desc = { key: 1, uid: 0, gid: 0, cuid: 0, cgid: 0, mode: 0o600, id: 5 };
    const entry = toBinary(ipc_shm_entrySchema, create(ipc_shm_entrySchema, { desc, size: 1n << 62n }));
    const bytes = concatBytes([headerOf("IPCNS_SHM"), withLength(entry), new Uint8Array(100)]);
    const want = await outcome(() => decodeImage(bytes, { fileName: "ipcns-shm-9.img" }));
    expect(want.error).toMatchObject({ kind: "length-too-large" });
    for (const size of [1, 3, 1000]) {
      const got = await outcome(() => decodeStreamed(sourceOf(cutEvery(bytes, size), "array"), "ipcns-shm-9.img"));
      expect(errorFields(got.error)).toEqual(errorFields(want.error));
    }
  });

  it("a message length word of 4 GiB fails at once, without waiting for an endless source", async () => {
    const zeros = new Uint8Array(64 << 10);
    let pulled = 0;
    const endless = (async function* () {
      yield concatBytes([headerOf("PIPES_DATA"), u32(0xffffffff)]);
      for (;;) {
        if (++pulled > 100) throw new Error("the decoder kept reading");
        yield zeros;
      }
    })();
    const got = await outcome(() => decodeStreamed(endless, "pipes-data.img"));
    expect(got.error).toMatchObject({ name: "ImageError", kind: "length-too-large", offset: 8, entry: 0 });
    expect(pulled).toBeLessThanOrEqual(1);
  });
});

describe("memory", () => {
  const CHUNK = 64 << 10;
  const COUNT = 1024; // 1024 entries of 64 KiB of data: a 64 MiB image

  /** Entry i of the image: its bytes made only when the stream gets there. */
  function entryBytes(i: number): Uint8Array {
    const data = new Uint8Array(CHUNK).fill(i & 0xff);
    const entry: PipeDataEntry = { entry: create(pipe_data_entrySchema, { pipeId: i, bytes: CHUNK }), data };
    return encodeImage({ magic: "PIPES_DATA", header: "none", entries: [entry] }).subarray(4);
  }

  /** The image in CHUNK-sized chunks, each made on the fly (the whole image never exists). */
  async function* image(): AsyncGenerator<Uint8Array> {
    let carry = headerOf("PIPES_DATA");
    for (let i = 0; i < COUNT; i++) {
      carry = concatBytes([carry, entryBytes(i)]);
      while (carry.length >= CHUNK) {
        yield carry.slice(0, CHUNK);
        carry = carry.slice(CHUNK);
      }
    }
    if (carry.length > 0) yield carry;
  }

  it("holds one entry and one chunk at most while decoding a 64 MiB pipes-data image", async () => {
    const entrySize = entryBytes(COUNT - 1).length;
    const stream = await openImageStream(image(), { fileName: "pipes-data.img", expect: "PIPES_DATA" });
    let count = 0;
    for await (const { entry, data } of stream.entries) {
      expect([entry.pipeId, data.length, data[0], data[CHUNK - 1]]).toEqual([count, CHUNK, count & 0xff, count & 0xff]);
      count++;
    }
    expect(count).toBe(COUNT);
    expect(stream.maxBuffered).toBeGreaterThanOrEqual(entrySize);
    expect(stream.maxBuffered).toBeLessThanOrEqual(entrySize + CHUNK);
  });
});
