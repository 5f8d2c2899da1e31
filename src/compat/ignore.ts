import type { Finding } from "./rule";

/**
 * One entry of an ignore list: a rule id, an element path (`pagemap_entry.nr_pages`, or a
 * prefix such as `criu_opts`), a file or directory (`rpc.proto`, `google/`), or a rule id and a
 * path together. Written `RULE`, `PATH` or `RULE=PATH`.
 */
export interface IgnoreEntry {
  rule?: string;
  path?: string;
}

const RULE_ID = /^[A-Z0-9][A-Z0-9_]*[A-Z0-9]$/;

export function parseIgnore(text: string): IgnoreEntry {
  const eq = text.indexOf("=");
  if (eq > 0 && RULE_ID.test(text.slice(0, eq))) return { rule: text.slice(0, eq), path: text.slice(eq + 1) };
  return RULE_ID.test(text) ? { rule: text } : { path: text };
}

function pathMatches(finding: Finding, path: string): boolean {
  if (finding.path === path || finding.path.startsWith(`${path}.`)) return true;
  const file = finding.location?.file;
  if (!file) return false;
  return file === path || file.startsWith(path.endsWith("/") ? path : `${path}/`);
}

export function isIgnored(finding: Finding, ignore: readonly IgnoreEntry[]): boolean {
  return ignore.some(
    (e) => (e.rule === undefined || e.rule === finding.rule) && (e.path === undefined || pathMatches(finding, e.path)),
  );
}
