import type { Finding } from "../rule";
import { affected } from "./affected";

// For people: one block per finding, `file:line:col: severity RULE path`, the message, and the
// readers affected in each direction (readers with no effect, or not selected, are left out).

export interface TextOptions {
  /** Also print compatible changes (severity info). */
  all?: boolean;
}

function where(f: Finding): string {
  const loc = f.location;
  return loc ? `${loc.file}:${loc.line ?? 1}:${loc.column ?? 1}` : "<schema>";
}

export function formatText(findings: readonly Finding[], options: TextOptions = {}): string {
  const shown = options.all ? findings : findings.filter((f) => f.severity !== "info");
  const lines: string[] = [];
  for (const f of shown) {
    lines.push(`${where(f)}: ${f.severity} ${f.rule} ${f.path}`);
    lines.push(`    ${f.message}`);
    lines.push(`    backward (new reader, old data): ${affected(f, "backward", "no effect")}`);
    lines.push(`    forward (old reader, new data): ${affected(f, "forward", "no effect")}`);
  }
  lines.push(summary(findings, options.all === true));
  return `${lines.join("\n")}\n`;
}

export function summary(findings: readonly Finding[], infoShown: boolean): string {
  const count = (s: Finding["severity"]) => findings.filter((f) => f.severity === s).length;
  const [breaking, json, reencode, info] = [count("breaking"), count("json"), count("reencode"), count("info")];
  const hidden = info && !infoShown ? ` (not shown; --all shows them)` : "";
  const hazard = reencode ? `${reencode} re-encode hazard${reencode === 1 ? "" : "s"}, ` : "";
  return `${breaking} breaking, ${json} JSON-only, ${hazard}${info} compatible${hidden}`;
}
