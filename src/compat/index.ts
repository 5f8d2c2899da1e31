// The schema-evolution checker: compare two revisions of a protobuf schema, per reader and per
// direction. Node only (inputs run buf and git); the model, rules and printers are plain data.

import { compareSchemas, type CompareOptions } from "./compare";
import { loadDescriptorSet } from "./inputs";
import { schemaModel, type ModelOptions } from "./model";
import type { Finding } from "./rule";

export { compareSchemas, type CompareOptions } from "./compare";
export { isIgnored, parseIgnore, type IgnoreEntry } from "./ignore";
export { InputError, buildDirectory, buildGitRevision, loadDescriptorSet, releaseDescriptorSet, shippedReleases } from "./inputs";
export { releaseMatrix, releaseMatrixMarkdown } from "./matrix";
export { formatReplay, replayDirectory, type ReplayDifference, type ReplayReport } from "./replay";
export { DIRECTIONS, selectFindings, type Direction, type Selection } from "./select";
export { schemaModel, type EnumModel, type FieldModel, type Label, type Location, type MessageModel, type ModelOptions, type SchemaModel } from "./model";
export { formatGithub } from "./print/github";
export { findingJson, formatJson } from "./print/json";
export { formatMarkdown, type PairFindings } from "./print/markdown";
export { formatText, summary } from "./print/text";
export { CATEGORIES, type Context, type Finding, type Report, type Rule } from "./rule";
export { RULES } from "./rules/index";
export { EFFECTS, READERS, type Effect, type Reader, type ReaderEffects, type Severity, type Verdicts } from "./verdict";

/** Loads two revisions (see loadDescriptorSet for the forms) and compares them, old → new. */
export function checkCompat(oldSpec: string, newSpec: string, options: CompareOptions & ModelOptions = {}): Finding[] {
  const old = schemaModel(loadDescriptorSet(oldSpec), options);
  const now = schemaModel(loadDescriptorSet(newSpec), options);
  return compareSchemas(old, now, options);
}

/**
 * Whether any finding breaks a reader or a JSON form: the CLI exits 100 then. A re-encode hazard
 * alone (a protobuf-es round trip may drop a value that every reader reads) does not.
 */
export function breaks(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === "breaking" || f.severity === "json");
}
