// What the interleaved message-image cases time as "ours" (decode-messages.ts,
// encode-messages.ts): what `crit decode -i IMG -o OUT` and `crit encode` do. It is bundled by
// esbuild (bench/out/message-work.mjs, packages left external, like the child of the other cases)
// and loaded from there, because the crit command is one bundle. Imported through the bench's
// TypeScript loader instead, the same code ran 1.3–2.4× slower: the loader turns every module into
// CommonJS, so each read of an import in the inner loops (ScalarType's members included) is a
// getter call.

import { closeSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { STREAM_FROM_BYTES } from "../src/cli/read-image";
import { imageBytesToCritJsonBytes, imageBytesToCritJsonChunks } from "../src/json/from-image/image-bytes";
import { critJsonToImageBytes } from "../src/json/to-image/from-crit";
import { fusedImageBytes, fusedImageChunks } from "../src/json/to-image/fused-encode";
import { openReadIntoFile } from "../src/node/files";

/** What `crit decode -i IMG -o OUT` does with an image up to 32 MiB (src/cli/image-json.ts), into a new file. */
export function decodeFile(image: string, out: string, pretty: boolean): void {
  const bytes = readFileSync(image);
  rmSync(out, { force: true });
  const fd = openSync(out, "w");
  try {
    for (const chunk of imageBytesToCritJsonChunks(bytes, { pretty })) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/** The whole path's JSON of an image (what the timed runs' output is checked against, and what the encode case reads). */
export function wholeJson(bytes: Uint8Array, pretty: boolean): Uint8Array {
  return imageBytesToCritJsonBytes(bytes, { pretty });
}

/**
 * What `crit encode -i JSON -o IMG` does (src/cli/json-image.ts), with messages read by the code
 * compiled per type, or with the interpreter (as under a CSP without 'unsafe-eval'). JSON over
 * STREAM_FROM_BYTES (32 MiB) is read through a window and the image written in chunks
 * (fusedImageChunks); smaller JSON is read whole (critJsonToImageBytes).
 */
export async function encodeFile(json: string, out: string, interpret: boolean): Promise<void> {
  if (statSync(json).size <= STREAM_FROM_BYTES) {
    const bytes = readFileSync(json);
    writeFileSync(out, fusedImageBytes(bytes, { interpret }) ?? critJsonToImageBytes(bytes));
    return;
  }
  const source = await openReadIntoFile(json);
  const fd = openSync(out, "w");
  try {
    for await (const chunk of fusedImageChunks(source, 1 << 20, { interpret })) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
    await source.close();
  }
}
