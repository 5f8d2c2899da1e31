import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { asBytes, writeFileAtomic } from "../node/files";

/** Reads a whole input: the file, or standard input when no path (or "-") is given. */
export async function readInput(path: string | undefined): Promise<Uint8Array> {
  if (path !== undefined && path !== "-") return asBytes(readFileSync(path));
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The name to report, and to recognise raw images by: the file's base name. */
export function inputName(path: string | undefined): string | undefined {
  return path === undefined || path === "-" ? undefined : basename(path);
}

/** Writes the output to standard output, or to a file whole or not at all. */
export async function writeOutput(path: string | undefined, data: Uint8Array | string | AsyncIterable<Uint8Array>): Promise<void> {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  if (path !== undefined && path !== "-") return writeFileAtomic(path, bytes);
  if (bytes instanceof Uint8Array) return writeStdout(bytes);
  for await (const chunk of bytes) await writeStdout(chunk);
}

function writeStdout(bytes: Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => process.stdout.write(bytes, (err) => (err ? reject(err) : resolve())));
}

/** Inputs larger than this are streamed by `decode` (their JSON may not fit in memory twice). */
export const STREAM_FROM_BYTES = 256 << 20;

/** The size of an input file; undefined for standard input. */
export function inputSize(path: string | undefined): number | undefined {
  return path === undefined || path === "-" ? undefined : statSync(path).size;
}
