// One case on one file, in its own process so that its peak RSS is its own. Run by run.ts
// (bundled to bench/out/child.mjs first, so that no TypeScript loader sits in the process):
//   node bench/out/child.mjs '{"case": "decode", "file": "...", ...}'
// Prints one line of JSON: the timing, the peak RSS and what the case counted.

import { closeSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { basename } from "node:path";
import { create, fromBinary } from "@bufbuild/protobuf";
import { decodeImage } from "../src/image/decode";
import type { CriuImage } from "../src/image/entries";
import { critJsonToImageBytes } from "../src/json/to-image/from-crit";
import { imageBytesToCritJsonChunks } from "../src/json/from-image/image-bytes";
import { critJsonChunks } from "../src/json/from-image/stream-json";
import { STREAM_FROM_BYTES } from "../src/cli/read-image";
import { openImageFileStream, openReadIntoFile } from "../src/node/files";
import { openArchiveFile } from "../src/node/archive-file";
import { fusedImageChunks } from "../src/json/to-image/fused-encode";
import { criuRegistry } from "../src/schema/registry";
import { frameImage } from "./frames";
import { measure, timedPhase, type Budget, type Operation } from "./measure";
import { loadProtobufjs } from "./protobufjs";
import { scanMessage, scanTable } from "./wire-scan";

export type CaseName =
  | "baseline"
  | "decode"
  | "to-json"
  | "to-json-pretty"
  | "from-json"
  | "stream"
  | "stream-per-entry"
  | "protobufjs"
  | "protobufjs-each"
  | "protobuf-es"
  | "floor"
  | "floor-objects"
  | "io-floor"
  | "archive-stream";

export interface CaseSpec {
  case: CaseName;
  /** The image file. */
  file: string;
  /** from-json: the JSON to read. to-json, from-json: where to write. */
  json?: string;
  out?: string;
  /** io-floor: read `json` (any input file), write `outBytes` bytes to `out`. */
  outBytes?: number;
  budget: Budget;
}

export interface CaseResult {
  seconds?: number;
  firstSeconds?: number;
  runs?: number;
  phases?: Record<string, number>;
  peakRssMB: number;
  /** Entries of the image (messages for the typed-decode cases). */
  entries?: number;
  /** from-json: the encoded image equals the original file. */
  identical?: boolean;
  /** stream: the most bytes the stream decoder buffered at once. */
  maxBufferedMB?: number;
  /** archive-stream: bytes of pages streamed, and what the process wrote meanwhile (/proc/self/io). */
  streamedBytes?: number;
  diskWriteBytes?: number;
  writeCallBytes?: number;
  error?: string;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as CaseSpec;
  let result: CaseResult;
  try {
    result = await runCase(spec);
  } catch (err) {
    result = { peakRssMB: peakRss(), error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}

async function runCase(spec: CaseSpec): Promise<CaseResult> {
  const fileName = basename(spec.file);
  let extra: Partial<CaseResult> = {};
  let op: Operation;
  switch (spec.case) {
    case "baseline":
      op = () => 0;
      break;
    case "decode": {
      const bytes = readBytes(spec.file);
      op = () => count(decodeImage(bytes, { fileName }));
      break;
    }
    case "to-json":
    case "to-json-pretty": {
      // What `crit decode` does: image bytes straight to JSON bytes, then written out.
      const pretty = spec.case === "to-json-pretty";
      if (statSync(spec.file).size > STREAM_FROM_BYTES) {
        // As the CLI does for large inputs: entries streamed in, JSON chunks written out.
        op = async () => {
          const stream = await openImageFileStream(spec.file, { reuseBuffers: true });
          if (!("entries" in stream)) throw new Error("a raw image");
          const fd = openSync(fresh(spec.out!), "w");
          try {
            for await (const chunk of critJsonChunks(stream, { pretty, reuseBuffers: true })) writeSync(fd, chunk);
          } finally {
            closeSync(fd);
          }
          return 0; // the image's entry count is known to the caller
        };
        break;
      }
      // As `crit decode -o` does for smaller ones: read whole, the JSON written in chunks of one
      // reused buffer.
      const entries = count(decodeImage(readBytes(spec.file), { fileName }));
      op = (phase) => {
        const bytes = timedPhase(phase, "read", () => readBytes(spec.file));
        const fd = openSync(fresh(spec.out!), "w");
        try {
          for (const chunk of imageBytesToCritJsonChunks(bytes, { pretty, fileName })) writeSync(fd, chunk);
        } finally {
          closeSync(fd);
        }
        return entries;
      };
      break;
    }
    case "from-json": {
      // What `crit encode` does: the JSON file's bytes straight to image bytes, then written out.
      if (statSync(spec.json!).size > STREAM_FROM_BYTES) {
        // As the CLI does for large inputs: JSON read through a window, image written in chunks.
        op = async () => {
          const source = await openReadIntoFile(spec.json!);
          const fd = openSync(fresh(spec.out!), "w");
          try {
            for await (const chunk of fusedImageChunks(source, undefined, { reuseBuffers: true })) writeSync(fd, chunk);
          } finally {
            closeSync(fd);
            await source.close();
          }
          return 0; // the image's entry count is known to the caller
        };
        break;
      }
      const entries = count(decodeImage(readBytes(spec.file), { fileName }));
      op = (phase) => {
        const json = timedPhase(phase, "read", () => readBytes(spec.json!));
        const bytes = timedPhase(phase, "critJsonToImageBytes", () => critJsonToImageBytes(json));
        timedPhase(phase, "write", () => writeFileSync(fresh(spec.out!), bytes));
        return entries;
      };
      break;
    }
    case "stream":
    case "stream-per-entry":
      // "stream": entries read into one reused buffer, as `crit decode` reads large images;
      // "stream-per-entry": the default, every entry in a buffer of its own that it keeps.
      op = async () => {
        const stream = await openImageFileStream(spec.file, { reuseBuffers: spec.case === "stream" });
        if (!("entries" in stream)) throw new Error("a raw image");
        let entries = 0;
        for await (const _entry of stream.entries) entries++;
        extra = { maxBufferedMB: stream.maxBuffered / 2 ** 20 };
        return entries;
      };
      break;
    case "io-floor": {
      // The I/O any decode or encode must do, and nothing else: read the input file through,
      // write as many bytes as the output has, 1 MiB at a time. No tool doing that conversion
      // between these two files can beat it.
      const chunk = new Uint8Array(1 << 20).fill(0x41);
      op = () => {
        const input = openSync(spec.json!, "r");
        try {
          while (readSync(input, chunk, 0, chunk.length, null) > 0);
        } finally {
          closeSync(input);
        }
        const fd = openSync(fresh(spec.out!), "w");
        try {
          for (let left = spec.outBytes!; left > 0; left -= chunk.length) writeSync(fd, chunk, 0, Math.min(left, chunk.length));
        } finally {
          closeSync(fd);
        }
        return 0;
      };
      break;
    }
    case "archive-stream":
      op = async () => {
        const before = written();
        const source = await openArchiveFile(spec.file);
        const pages = (await source.members()).filter((m) => /^checkpoint\/pages-\d+\.img$/.test(m.name)).map((m) => m.name);
        let streamed = 0;
        await source.stream(pages, (_name, _offset, chunk) => {
          streamed += chunk.length;
        });
        await source.close();
        const after = written();
        extra = { streamedBytes: streamed, diskWriteBytes: after.disk - before.disk, writeCallBytes: after.calls - before.calls };
        return pages.length;
      };
      break;
    case "protobufjs":
    case "protobufjs-each":
    case "protobuf-es":
    case "floor":
    case "floor-objects":
      op = await typedDecode(spec.case, readBytes(spec.file));
      break;
  }
  const timing = await measure(op, spec.budget);
  const result: CaseResult = { ...timing, ...extra, peakRssMB: peakRss() };
  delete (result as { result?: unknown }).result;
  if (typeof timing.result === "number" && spec.case !== "baseline") result.entries = timing.result;
  if (spec.case === "from-json") result.identical = readFileSync(spec.out!).equals(readFileSync(spec.file));
  return result;
}

/**
 * Decodes every message of the image with another decoder; returns the number of messages.
 * Like decodeImage, protobufjs and protobuf-es return the image's messages as a list (decoding
 * an image means having its entries afterwards). "protobufjs-each" drops each message as soon as
 * it is decoded, which spares the garbage collector the live objects: shown for reference, not
 * compared (decodeImage cannot drop what it returns).
 */
async function typedDecode(kind: "protobufjs" | "protobufjs-each" | "protobuf-es" | "floor" | "floor-objects", bytes: Uint8Array): Promise<Operation> {
  const frames = frameImage(bytes);
  if (!frames) throw new Error("not an image of plain messages (entry, pagemap or pipes-data)");
  const { kinds, starts, ends, count: n } = frames;
  if (kind === "protobufjs" || kind === "protobufjs-each") {
    const root = await loadProtobufjs();
    const types = frames.types.map((t) => root.lookupType(t));
    if (kind === "protobufjs-each") {
      return () => {
        for (let i = 0; i < n; i++) types[kinds[i]!]!.decode(bytes.subarray(starts[i], ends[i]));
        return n;
      };
    }
    return () => {
      const messages: unknown[] = [];
      for (let i = 0; i < n; i++) messages.push(types[kinds[i]!]!.decode(bytes.subarray(starts[i], ends[i])));
      return messages.length;
    };
  }
  if (kind === "protobuf-es") {
    const schemas = frames.types.map((t) => criuRegistry.getMessage(t)!);
    return () => {
      const messages: unknown[] = [];
      for (let i = 0; i < n; i++) messages.push(fromBinary(schemas[kinds[i]!]!, bytes.subarray(starts[i], ends[i])));
      return messages.length;
    };
  }
  const tables = frames.types.map((t) => scanTable(criuRegistry.getMessage(t)!));
  let sink = 0;
  if (kind === "floor-objects") {
    // The scan, plus what any decoder returning messages must do at the least: one object per
    // message (empty, with protobuf-es's prototype), kept in a list. Sub-messages and values
    // (bigints for 64-bit fields) would cost more still.
    const prototypes = frames.types.map((t) => Object.getPrototypeOf(create(criuRegistry.getMessage(t)!)) as object);
    return () => {
      const messages: object[] = [];
      for (let i = 0; i < n; i++) {
        sink ^= scanMessage(bytes, starts[i]!, ends[i]!, tables[kinds[i]!]!);
        messages.push(Object.create(prototypes[kinds[i]!]!) as object);
      }
      return sink === 0.5 ? 0 : messages.length;
    };
  }
  return () => {
    for (let i = 0; i < n; i++) sink ^= scanMessage(bytes, starts[i]!, ends[i]!, tables[kinds[i]!]!);
    return sink === 0.5 ? 0 : n; // never true: sink is an integer
  };
}

/**
 * `path` with the last run's file removed (timed, in every case alike), to be written as a new
 * file: not the old one truncated. Truncating a file just written makes ext4 wait for its
 * writeback (auto_da_alloc), 20-40 ms per 90 MB here, which is the file system's and not the
 * case's; the CLI writes a new temporary file and renames it.
 */
function fresh(path: string): string {
  rmSync(path, { force: true });
  return path;
}

/** The file's bytes, without the copy that `new Uint8Array(buffer)` would make. */
function readBytes(path: string): Uint8Array {
  const buffer = readFileSync(path);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function count(image: ReturnType<typeof decodeImage>): number {
  return "entries" in image ? (image as CriuImage).entries.length : 0;
}

/** Bytes this process has sent to storage, and passed to write calls, so far (NaN off Linux). */
function written(): { disk: number; calls: number } {
  try {
    const io = readFileSync("/proc/self/io", "utf8");
    return { disk: Number(/^write_bytes:\s+(\d+)/m.exec(io)?.[1] ?? NaN), calls: Number(/^wchar:\s+(\d+)/m.exec(io)?.[1] ?? NaN) };
  } catch {
    return { disk: NaN, calls: NaN };
  }
}

/**
 * This process's peak RSS in MiB: VmHWM, the high-water mark of its own memory. Not
 * process.resourceUsage().maxRSS: on Linux that starts from the parent's peak, because node
 * spawns children with vfork, and the parent's RSS is carried over at exec.
 */
function peakRss(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

await main();
