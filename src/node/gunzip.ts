// Node-only: gzip through zlib, pulled (the output is read as the archive reader asks for it, so
// memory stays bounded; Node's DecompressionStream buffers what it decodes ahead of the reader).

import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

export async function* gunzipChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip({ chunkSize: 256 << 10 });
  const input = Readable.from(chunks, { objectMode: false });
  input.once("error", (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Uint8Array;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}
