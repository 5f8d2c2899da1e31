import type { Finding } from "../rule";
import { READERS, type ReaderEffects } from "../verdict";

// NDJSON shaped like `buf breaking --error-format json`: `path` is the file, `type` the rule id,
// and the keys are snake_case; `element`, `severity` and `verdicts` are ours.

const snake = (s: string) => s.replace(/-/g, "_");

function effects(e: ReaderEffects): Record<string, string> {
  return Object.fromEntries(READERS.map((r) => [snake(r), e[r]]));
}

export function findingJson(f: Finding): Record<string, unknown> {
  const line = f.location?.line ?? 1;
  const column = f.location?.column ?? 1;
  return {
    path: f.location?.file ?? "",
    start_line: line,
    start_column: column,
    end_line: line,
    end_column: column,
    type: f.rule,
    message: f.message,
    element: f.path,
    severity: f.severity,
    verdicts: { backward: effects(f.verdicts.backward), forward: effects(f.verdicts.forward) },
  };
}

export function formatJson(findings: readonly Finding[], options: { all?: boolean } = {}): string {
  const shown = options.all ? findings : findings.filter((f) => f.severity !== "info");
  return shown.map((f) => `${JSON.stringify(findingJson(f))}\n`).join("");
}
