// Node-only: the decoders Node does better than the built-in ones, for openArchiveFile and
// openSource: zlib for gzip (gunzip.ts), and the zstd tool when there is one (unzstd.ts).

import type { PlatformDecoders } from "../source/decompress";
import { gunzipChunks } from "./gunzip";
import { zstdBinary, zstdProcess } from "./unzstd";

/** Looked up on each call: CRIU_IMAGES_ZSTD and PATH are read then. */
export function nodeDecoders(env: NodeJS.ProcessEnv = process.env): PlatformDecoders {
  const zstd = zstdBinary(env);
  return zstd === undefined ? { gzip: gunzipChunks } : { gzip: gunzipChunks, zstd: zstdProcess(zstd) };
}
