/**
 * @criu/images/node: file-system helpers for Node. The main entry point stays browser-safe.
 */
export { openImageFileStream, readImageFile, writeImageFile, type FileStreamOptions } from "./files";
export { openPageReader, openShmemPageReader, parentDumpDir, type OpenPageReaderOptions } from "./pages";
export { openDumpDir } from "./dump-dir";
export * from "./criu/index";
