import type { Finding } from "../rule";

// GitHub Actions workflow commands: an annotation at the file and line of each finding.
// Breaking changes are errors, JSON-only ones warnings, re-encode hazards and compatible ones notices.

const LEVEL = { breaking: "error", json: "warning", reencode: "notice", info: "notice" } as const;

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatGithub(findings: readonly Finding[], options: { all?: boolean } = {}): string {
  const shown = options.all ? findings : findings.filter((f) => f.severity !== "info");
  return shown
    .map((f) => {
      const props = [
        ...(f.location ? [`file=${escapeProperty(f.location.file)}`, `line=${f.location.line ?? 1}`, `col=${f.location.column ?? 1}`] : []),
        `title=${escapeProperty(`${f.rule} ${f.path}`)}`,
      ];
      return `::${LEVEL[f.severity]} ${props.join(",")}::${escapeData(f.message)}\n`;
    })
    .join("");
}
