/**
 * @criu/images/node: file-system helpers for Node. The main entry point stays browser-safe.
 */
export { openImageFileStream, readImageFile, writeImageFile, type FileStreamOptions } from "./files";
export { openPageReader, openShmemPageReader, parentDumpDir, type OpenPageReaderOptions } from "./pages";
export { openDumpDir } from "./dump-dir";
export { openArchiveFile } from "./archive-file";
export { openDirectorySource } from "./directory-source";
export { openSource } from "./open-source";
export { openParentSources } from "./parent-sources";
export * from "./criu/index";
