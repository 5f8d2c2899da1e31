/**
 * @criu/images: typed codecs for CRIU checkpoint images.
 *
 * - Every message of CRIU v4.2's image and RPC schema, with its generated schema
 *   (`core_entrySchema`, `criu_reqSchema`, ...) and type (`core_entry`, `criu_req`, ...).
 * - The image codec: `decodeImage` / `encodeImage`, driven by one magic table.
 * - crit's JSON dialect: `toCritJson` / `fromCritJson`, byte for byte.
 * - crit's explorers: `explorePs`, `exploreFds`, `exploreMems`, `exploreRss`.
 * - Checkpoint sources: `openSource` (a Blob/File, bytes or a stream holding a tar, tar.gz,
 *   tar.zst or tar.xz archive), `sourceFromBlob`, `sourceFromStream`, `sourceFromFiles`.
 * - Process memory over a checkpoint source: `openTaskMemory`, `searchMemory` / `memoryHits` (`searchAtOpen`: in the pass that opens an archive).
 * - The checkpoint model: `openCheckpoint(source)` gives the process tree, open files, sockets,
 *   mounts, namespaces, memory maps, statistics and engine metadata of a checkpoint; views over
 *   it: `inspectCheckpoint` (checkpointctl's inspect), `exploreSockets` (go-criu's `x sk`),
 *   `diffCheckpoints` (what changed between two checkpoints: processes, files, sockets, memory).
 */
export * from "./schema/index";
export * from "./image/index";
export { exploreFds, exploreMems, explorePs, exploreRss } from "./checkpoint/explore";
export { dumpSourceFromFiles, DumpReader, ExploreError, isExploreError, type DumpSource, type ExploreErrorKind } from "./checkpoint/dump-source";
export { toCritJson, toCritValue, type CritJsonOptions } from "./json/from-image/to-crit";
export { imageBytesToCritJson, imageBytesToCritJsonBytes, imageBytesToCritJsonChunks, type ImageBytesToCritJsonOptions } from "./json/from-image/image-bytes";
export { critJsonChunks, type CritJsonChunksOptions } from "./json/from-image/stream-json";
export { critJsonToImageBytes, fromCritJson, fromCritValue, type FromCritJsonOptions } from "./json/to-image/from-crit";
export { CritJsonError, type JsonObject, type JsonValue } from "./json/value";
export { parseJson } from "./json/to-image/parse";
export { stringifyJson } from "./json/from-image/stringify";
export { isSourceError, SourceError, type CheckpointSource, type MemberInfo, type RangeRequest, type SourceErrorKind } from "./source/source";
export { sourceFromFiles } from "./source/files";
export { openSource, sourceFromBlob, sourceFromBytes, sourceFromStream } from "./source/open";
export { DEFAULT_KEEP, STREAM_KEEP, KEEP_RANGES_BYTES, type KeepLimits, type KeepRanges, type KeptRange, type MemberTap } from "./source/archive-pass";
export type { OpenArchiveOptions } from "./source/archive";
export { sourceFromBlobs, type NamedBlob } from "./source/blobs";
export {
  hexdumpRows,
  isMemoryError,
  memoryHits,
  memorySizes,
  MemoryError,
  openMemoryDump,
  openTaskMemory,
  parseHex,
  searchAtOpen,
  searchMemory,
  type HexRow,
  type Mapping,
  type MemoryDumpOptions,
  type MemoryErrorKind,
  type MemoryHit,
  type SearchAtOpen,
  type SearchAtOpenOptions,
  type SearchOptions,
  type SearchPattern,
  type SearchProgress,
  type SearchSummary,
  type TaskMemory,
  type TaskMemorySize,
} from "./checkpoint/memory/index";
export { openCheckpoint } from "./checkpoint/model/open";
export { keepTaskStrings } from "./checkpoint/model/keep-task-strings";
export { signalName, signalsInMask } from "./checkpoint/model/signals";
export * from "./checkpoint/diff/index";
export { CheckpointError, isCheckpointError, type CheckpointErrorKind, type CheckpointWarning } from "./checkpoint/model/errors";
export type * from "./checkpoint/model/types";
export type { EngineMetadata, EngineName, ArchiveSizes, RootFsChanges } from "./checkpoint/engine/metadata";
export { describeFile } from "./checkpoint/views/describe-file";
export type { MappingKind } from "./checkpoint/memory/mappings";
export type { MemoryDump } from "./checkpoint/memory/dump";
export type { OciSpec, OciMount } from "./checkpoint/engine/oci-spec";
export type { NetworkInfo, NetworkInterface } from "./checkpoint/engine/network-status";
export { inspectCheckpoint, InspectError, type InspectNode, type InspectOptions, type PsNode } from "./checkpoint/views/inspect";
export { renderInspectTree } from "./checkpoint/views/inspect-tree";
export { exploreSockets, exploreSk, type ExploredSocket } from "./checkpoint/views/explore-sk";
export { readDumpSource } from "./checkpoint/explore-source";
