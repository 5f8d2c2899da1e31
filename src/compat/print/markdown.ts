import type { Finding } from "../rule";
import { affected } from "./affected";

// The CRIU release matrix as markdown: a summary table, then the findings of each pair.

export interface PairFindings {
  old: string;
  new: string;
  findings: Finding[];
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function counts(findings: Finding[]): Record<Finding["severity"], number> {
  const c = { breaking: 0, json: 0, reencode: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** What the compatible changes of a pair were, e.g. "12 FIELD_ADDED, 2 MESSAGE_ADDED". */
function compatibleSummary(findings: Finding[]): string {
  const byRule = new Map<string, number>();
  for (const f of findings) if (f.severity === "info") byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  return [...byRule].map(([rule, n]) => `${n} ${rule}`).join(", ");
}

export function formatMarkdown(pairs: readonly PairFindings[], title: string, intro: string): string {
  const out: string[] = [`# ${title}`, "", intro, "", "| Pair | Breaking | JSON-only | Re-encode | Compatible |", "|---|---:|---:|---:|---:|"];
  for (const p of pairs) {
    const c = counts(p.findings);
    out.push(`| [${p.old} → ${p.new}](#${anchor(p)}) | ${c.breaking} | ${c.json} | ${c.reencode} | ${c.info} |`);
  }
  for (const p of pairs) {
    out.push("", `## ${p.old} → ${p.new}`, "");
    const notable = p.findings.filter((f) => f.severity !== "info");
    if (notable.length) {
      out.push("| Severity | Rule | Element | Finding | Backward (new reader, old data) | Forward (old reader, new data) |", "|---|---|---|---|---|---|");
      for (const f of notable) {
        out.push(`| ${f.severity} | ${f.rule} | \`${f.path}\` | ${cell(f.message)} | ${affected(f, "backward", "—")} | ${affected(f, "forward", "—")} |`);
      }
      out.push("");
    }
    const compatible = compatibleSummary(p.findings);
    out.push(compatible ? `Compatible: ${compatible}.` : notable.length ? "No compatible changes." : "No changes.");
  }
  return `${out.join("\n")}\n`;
}

function anchor(p: PairFindings): string {
  return `${p.old}--${p.new}`.replace(/[^a-z0-9-]/gi, "").toLowerCase();
}
