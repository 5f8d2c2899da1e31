// Writes docs/compat-vs-buf.md: for every consecutive pair of shipped CRIU releases, what
// criu-compat reports next to what `buf breaking` alone reports under WIRE and WIRE_JSON, and
// why they differ. Run: npm run -s compat-vs-buf. test/compat/compat-vs-buf.test.ts checks that
// the committed file is this script's output.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { releaseMatrix } from "../src/compat/matrix";
import { releaseDescriptorSet } from "../src/compat/inputs";
import { schemaModel, type SchemaModel } from "../src/compat/model";
import type { Finding } from "../src/compat/rule";
import { historiesMarkdown, historyScores, type HistoryScores } from "./compat-vs-buf-histories";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const buf = join(root, "node_modules", ".bin", "buf");
const baseline = (release: string) => join(root, "schemas", "criu", `criu-${release}.binpb`);

interface BufFinding {
  type: string;
  message: string;
  element: string;
}

/** Which of WIRE and WIRE_JSON each buf rule belongs to. */
function bufCategories(): Map<string, string[]> {
  const out = execFileSync(buf, ["config", "ls-breaking-rules", "--format", "json", "--version", "v2"], { cwd: root, encoding: "utf8" });
  const rules = out.trim().split("\n").map((l) => JSON.parse(l) as { id: string; categories?: (string | { id: string })[] });
  return new Map(rules.map((r) => [r.id, (r.categories ?? []).map((c) => (typeof c === "string" ? c : c.id))]));
}

/** The element a buf message names, as criu-compat writes paths (message.field, enum.VALUE). */
function elementOf(message: string, old: SchemaModel, now: SchemaModel): string {
  const msg = /on message "([^"]+)"/.exec(message)?.[1] ?? /^Message "([^"]+)"/.exec(message)?.[1];
  const en = /on enum "([^"]+)"/.exec(message)?.[1];
  const renamedTo = /changed name from "[^"]+" to "([^"]+)"/.exec(message)?.[1];
  const named = /with name "([^"]+)"/.exec(message)?.[1];
  const number = Number(/(?:field|value) "(\d+)"/i.exec(message)?.[1]);
  if (msg) {
    const name = renamedTo ?? named ?? (now.messages.get(msg) ?? old.messages.get(msg))?.byNumber.get(number)?.name;
    return name ? `${msg}.${name}` : msg;
  }
  if (en) {
    const values = (now.enums.get(en) ?? old.enums.get(en))?.values ?? [];
    const name = renamedTo ?? named ?? values.find((v) => v.number === number)?.name;
    return name ? `${en}.${name}` : en;
  }
  return /"([^"]+)"/.exec(message)?.[1] ?? message;
}

function bufBreaking(oldRelease: string, newRelease: string, old: SchemaModel, now: SchemaModel): BufFinding[] {
  const config = JSON.stringify({ version: "v2", breaking: { use: ["WIRE", "WIRE_JSON"], ignore: ["google"] } });
  const r = spawnSync(buf, ["breaking", baseline(newRelease), "--against", baseline(oldRelease), "--config", config, "--error-format", "json"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0 && r.status !== 100) throw new Error(`buf breaking ${oldRelease} → ${newRelease}: ${r.stderr}`);
  return r.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; message: string })
    .map((f) => ({ type: f.type, message: f.message, element: elementOf(f.message, old, now) }));
}

const WHY: Record<string, string> = {
  ENUM_VALUE_ADDED_REQUIRED:
    "A value added to a closed enum behind a `required` field: buf has no rule for enum additions (bufbuild/buf#1066). Old upb (crit) and protobuf-es readers move the unknown number out of the field and then miss the required field.",
  ENUM_VALUE_ADDED:
    "A value added to a closed enum that an optional field uses: old protobuf-c readers keep the number in the field, old upb readers keep it as an unknown field, and protobuf-es (2.6.1 to at least 2.17) loses it when the message has another unknown field; found by the dynamic proof. buf has no rule for enum additions.",
  FIELD_CRIU_OPTION_CHANGED:
    "A `(criu)` field option changed: buf ignores custom options, but crit's pretty JSON (and this package's) prints the field differently, so JSON written under one revision does not parse the same under the other.",
  FIELD_NAME_REUSED:
    "A field name now belongs to another number (pagemap's `nr_pages`, v4.2): buf reports the rename of field 2 but not that crit's name-keyed JSON now fills field 5 and leaves required field 2 unset.",
  FIELD_RENAMED:
    "Both see renames: buf as FIELD_SAME_NAME and FIELD_SAME_JSON_NAME (WIRE_JSON only), criu-compat as one finding naming crit's key and the ProtoJSON name.",
  FIELD_REQUIRED_ADDED:
    "Both see a required field added (buf: MESSAGE_SAME_REQUIRED_FIELDS, even under WIRE); criu-compat adds the verdict per reader (protobuf-c rejects the message unless the field has a default).",
  FIELD_DEFAULT_CHANGED:
    "Both see a default change (buf: FIELD_SAME_DEFAULT, even under WIRE); criu-compat says in which direction an absent value can occur: a required field is only left out by writers whose revision gives it a default.",
};

function verdictCell(f: Finding | undefined): string {
  return f ? `${f.rule} (${f.severity})` : "—";
}

/** criu-compat and buf scored on the non-CRIU histories (also used by the staleness test). */
export function compatVsBufHistories(): HistoryScores[] {
  const categories = bufCategories();
  return historyScores(buf, (type, c) => categories.get(type)?.includes(c) ?? false);
}

export function compatVsBufMarkdown(histories = compatVsBufHistories()): string {
  const categories = bufCategories();
  const inCategory = (type: string, c: string) => categories.get(type)?.includes(c) ?? false;
  const rows: string[] = [];
  const details: string[] = [];
  const seen = new Set<string>();
  const totals = { ours: 0, json: 0, wire: 0, wireJson: 0 };
  for (const p of releaseMatrix()) {
    const old = schemaModel(releaseDescriptorSet(p.old));
    const now = schemaModel(releaseDescriptorSet(p.new));
    const ours = p.findings.filter((f) => f.severity !== "info");
    const theirs = bufBreaking(p.old, p.new, old, now);
    const wire = theirs.filter((f) => inCategory(f.type, "WIRE"));
    const wireJson = theirs.filter((f) => inCategory(f.type, "WIRE_JSON"));
    const breaking = ours.filter((f) => f.severity === "breaking").length;
    totals.ours += breaking;
    totals.json += ours.length - breaking;
    totals.wire += wire.length;
    totals.wireJson += wireJson.length;
    if (!ours.length && !theirs.length) continue;
    const elements = [...new Set([...ours.map((f) => f.path), ...theirs.map((f) => f.element)])];
    const onlyOurs = elements.filter((e) => ours.some((f) => f.path === e) && !theirs.some((f) => f.element === e)).length;
    const onlyBuf = elements.filter((e) => !ours.some((f) => f.path === e) && theirs.some((f) => f.element === e)).length;
    rows.push(`| ${p.old} → ${p.new} | ${breaking} | ${ours.length - breaking} | ${wire.length} | ${wireJson.length} | ${onlyOurs} | ${onlyBuf} |`);
    details.push("", `### ${p.old} → ${p.new}`, "", "| Element | criu-compat | buf WIRE | buf WIRE_JSON |", "|---|---|---|---|");
    for (const e of elements) {
      const mine = ours.filter((f) => f.path === e);
      const list = (fs: BufFinding[]) => fs.filter((f) => f.element === e).map((f) => f.type).join(", ") || "—";
      details.push(`| \`${e}\` | ${mine.length ? mine.map((f) => verdictCell(f)).join(", ") : "—"} | ${list(wire)} | ${list(wireJson)} |`);
      for (const f of mine) seen.add(f.rule);
    }
  }
  const out = [
    "# criu-compat vs `buf breaking` on the CRIU release history",
    "",
    "Generated by `npm run -s compat-vs-buf` (scripts/compat-vs-buf.ts) from the CRIU schemas shipped in",
    "`schemas/criu/`; test/compat/compat-vs-buf.test.ts checks that this file is up to date. For every",
    "consecutive pair of shipped CRIU releases: criu-compat's findings (breaking for some reader, or",
    "JSON-only; compatible changes left out) next to `buf breaking` alone with the WIRE and the WIRE_JSON",
    "categories (`buf breaking NEW.binpb --against OLD.binpb`, `google/` ignored). Pairs where neither",
    "reports anything are left out. \"Only\" columns count elements (fields, enum values) that one side",
    "flags and the other does not.",
    "",
    "| Pair | criu-compat breaking | criu-compat JSON-only | buf WIRE | buf WIRE_JSON | only criu-compat | only buf |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
    `| all pairs | ${totals.ours} | ${totals.json} | ${totals.wire} | ${totals.wireJson} | | |`,
    "",
    "## Why they differ",
    "",
    ...[...seen].sort().map((rule) => `- **${rule}**: ${WHY[rule] ?? "See the rule's purpose (`criu-compat --list-rules`)."}`),
    "- **buf compares message-typed fields by name, criu-compat by structure**: a field whose message type is renamed but identical is a finding for buf (FIELD_SAME_TYPE / FIELD_WIRE_*_COMPATIBLE_TYPE), not for criu-compat (MESSAGE_RENAMED, compatible). No CRIU release did this.",
    "- **Verdicts per reader and direction**: buf says \"breaking\"; criu-compat says which reader (protobuf-c in CRIU, upb in crit, protobuf-es here) fails, loses or misreads what, reading old data with new code (backward) or new data with old code (forward). Every finding above is also confirmed by generated messages (test/compat/dynamic-history.test.ts).",
    "",
    ...historiesMarkdown(histories),
    "## Per pair",
    ...details,
  ];
  return `${out.join("\n")}\n`;
}

if (process.argv[1] && existsSync(process.argv[1]) && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(compatVsBufMarkdown());
}
