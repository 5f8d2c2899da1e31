// The decompression floor of the checkpoint case: reads an archive through our own decoder
// (src/source/decompress.ts with the decoders Node gets: zlib for gzip, the zstd tool or fzstd for zstd) and drops every byte. No tar parsing,
// no images: the least time any command of ours that reads the whole archive can take.
// The checkpoint case bundles it (floorScript in checkpoint.ts) so that it starts like the built `crit`;
// by hand: node --import tsx bench/decompress-floor.ts ARCHIVE  (prints the decompressed byte count)

import { createReadStream } from "node:fs";
import { decompress, detectCompression, DETECT_BYTES } from "../src/source/decompress";
import { nodeDecoders } from "../src/node/decoders";

async function* withHead(head: Uint8Array, rest: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield head;
  yield* rest;
}

async function main(file: string): Promise<void> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const first = await stream.next();
  const head = first.done ? new Uint8Array() : first.value;
  const rest = { [Symbol.asyncIterator]: () => stream };
  let bytes = 0;
  for await (const chunk of decompress(detectCompression(head.subarray(0, DETECT_BYTES), file), withHead(head, rest), file, nodeDecoders())) bytes += chunk.length;
  console.log(bytes);
}

main(process.argv[2]!).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
