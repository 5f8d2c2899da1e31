// Checkpoint diff: the comparison as data, and its renderers (checkpointctl's text and JSON).
export { countChanges, diffCheckpoints, type DiffSources } from "./diff";
export type * from "./types";
