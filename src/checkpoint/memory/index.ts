// Process memory of a checkpoint: the reader, the search, memparse's views and their renderers.
export { openMemoryDump, listTasks, treeOrder, type MemoryDump, type MemoryDumpOptions, type DumpLevel, type TaskInfo } from "./dump";
export { MemoryError, isMemoryError, type MemoryErrorKind } from "./errors";
export { loadTaskLayout, type Segment, type TaskLayout, type TaskLayer } from "./layout";
export { mappingAt, type Mapping, type MappingKind } from "./mappings";
export { compilePattern, parseHex, DEFAULT_REGEX_WINDOW, type SearchPattern } from "./pattern";
export { openTaskMemory, type MemoryRead, type MissingRange, type ReadOptions, type TaskMemory } from "./reader";
export { memoryHits, searchMemory, type MemoryHit, type SearchOptions, type SearchProgress, type SearchSummary } from "./search";
export { searchAtOpen, type SearchAtOpen, type SearchAtOpenOptions } from "./search-at-open";
export { hexdumpRows, memorySizes, type HexRow, type TaskMemorySize } from "./views";
export { formatSize, hexdumpHeader, hexRowJson, hitJson, renderHexRow, renderHits, renderSizes, sizesJson } from "./render";
