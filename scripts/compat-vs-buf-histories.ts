// The part of docs/compat-vs-buf.md about schema histories that are not CRIU's: on each of the
// 25 real Mesos, ONNX and OpenTelemetry steps in test/fixtures/compat/histories, criu-compat's
// findings and `buf breaking` (WIRE, WIRE_JSON) scored against what really breaks
// (expected.json there, written from the diffs): true findings, false alarms, misses.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { compareSchemas } from "../src/compat/compare";
import { schemaModel, type SchemaModel } from "../src/compat/model";
import { historySteps, stepSet, type Step } from "../test/compat/histories";

export interface Score {
  true: number;
  falseAlarm: number;
  missed: number;
}

export interface HistoryScores {
  history: string;
  steps: number;
  ours: Score;
  wire: Score;
  wireJson: Score;
}

interface BufLine {
  path: string;
  type: string;
  message: string;
}

/** The full name of a message or enum that buf names by its short name in a file. */
function fullName(short: string, file: string, old: SchemaModel, now: SchemaModel, kind: "messages" | "enums"): string | undefined {
  for (const schema of [now, old]) {
    for (const [name, t] of schema[kind]) if ((name === short || name.endsWith(`.${short}`)) && t.location.file === file) return name;
  }
  return undefined;
}

/** The element a buf finding is about, as criu-compat writes paths. */
export function bufElement(f: BufLine, old: SchemaModel, now: SchemaModel): string {
  const msg = /on message "([^"]+)"/.exec(f.message)?.[1] ?? /^Message "([^"]+)"/.exec(f.message)?.[1];
  const en = /on enum "([^"]+)"/.exec(f.message)?.[1];
  const renamedTo = /changed name from "[^"]+" to "([^"]+)"/.exec(f.message)?.[1];
  const named = /with name "([^"]+)"/.exec(f.message)?.[1];
  const number = Number(/(?:field|value) "(\d+)"/i.exec(f.message)?.[1]);
  if (msg) {
    const full = fullName(msg, f.path, old, now, "messages") ?? msg;
    const name = renamedTo ?? named ?? (now.messages.get(full) ?? old.messages.get(full))?.byNumber.get(number)?.name;
    return name ? `${full}.${name}` : full;
  }
  if (en) {
    const full = fullName(en, f.path, old, now, "enums") ?? en;
    const values = (now.enums.get(full) ?? old.enums.get(full))?.values ?? [];
    const name = renamedTo ?? named ?? values.find((v) => v.number === number)?.name;
    return name ? `${full}.${name}` : full;
  }
  return /"([^"]+)"/.exec(f.message)?.[1] ?? f.path;
}

function runBuf(buf: string, step: Step): BufLine[] {
  const config = JSON.stringify({ version: "v2", breaking: { use: ["WIRE", "WIRE_JSON"], ignore: ["google"] } });
  const r = spawnSync(buf, ["breaking", join(step.dir, "new.binpb.gz"), "--against", join(step.dir, "old.binpb.gz"), "--config", config, "--error-format", "json"], { encoding: "utf8" });
  if (r.status !== 0 && r.status !== 100) throw new Error(`buf breaking ${step.history} ${step.step}: ${r.stderr}`);
  return r.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as BufLine);
}

function score(flagged: Set<string>, truth: Set<string>): Score {
  const hits = [...flagged].filter((e) => truth.has(e)).length;
  return { true: hits, falseAlarm: flagged.size - hits, missed: truth.size - hits };
}

function add(a: Score, b: Score): Score {
  return { true: a.true + b.true, falseAlarm: a.falseAlarm + b.falseAlarm, missed: a.missed + b.missed };
}

/** Per history: every step scored for criu-compat and buf, summed. */
export function historyScores(buf: string, inCategory: (type: string, category: string) => boolean): HistoryScores[] {
  const out = new Map<string, HistoryScores>();
  const zero = (): Score => ({ true: 0, falseAlarm: 0, missed: 0 });
  for (const step of historySteps()) {
    const old = schemaModel(stepSet(step, "old"));
    const now = schemaModel(stepSet(step, "new"));
    const truth = new Set(step.breaks.map((b) => b.path));
    const ours = new Set(compareSchemas(old, now).filter((f) => f.severity !== "info").map((f) => f.path));
    const theirs = runBuf(buf, step);
    const elements = (category: string) => new Set(theirs.filter((f) => inCategory(f.type, category)).map((f) => bufElement(f, old, now)));
    const h = out.get(step.history) ?? { history: step.history, steps: 0, ours: zero(), wire: zero(), wireJson: zero() };
    h.steps++;
    h.ours = add(h.ours, score(ours, truth));
    h.wire = add(h.wire, score(elements("WIRE"), truth));
    h.wireJson = add(h.wireJson, score(elements("WIRE_JSON"), truth));
    out.set(step.history, h);
  }
  return [...out.values()];
}

export function historiesMarkdown(scores: HistoryScores[]): string[] {
  const cell = (s: Score) => `${s.true} / ${s.falseAlarm} / ${s.missed}`;
  return [
    "## On schema histories that are not CRIU's",
    "",
    "The 25 real steps of Apache Mesos (proto2), ONNX (proto2) and OpenTelemetry (proto3) in",
    "`test/fixtures/compat/histories/` (from ../shared/schema-histories), scored against what really",
    "breaks in each step (`expected.json` there, written from the diffs; test/compat/histories.test.ts",
    "checks criu-compat against it). Each cell: true findings / false alarms / missed, counted by",
    "element (a field, enum value, service). A break is a wire break, a JSON break, a value that a",
    "protobuf-es re-encode drops (criu-compat's `reencode` severity) or a removed service (calls fail);",
    "buf has no rule for the last two in WIRE or WIRE_JSON, so it misses them by design.",
    "",
    "| History | Steps | criu-compat | buf WIRE | buf WIRE_JSON |",
    "|---|---:|---|---|---|",
    ...scores.map((h) => `| ${h.history} | ${h.steps} | ${cell(h.ours)} | ${cell(h.wire)} | ${cell(h.wireJson)} |`),
    "",
    "Where buf's findings are false alarms: ONNX renames and moves values of `onnx.Version`, which no",
    "field uses (`ir_version` is an int64), so no data or JSON document carries them; OpenTelemetry",
    "renamed DoubleExemplar to Exemplar (same fields, one moved into a new oneof), which buf reports as",
    "field type changes of the two `exemplars` fields. criu-compat pairs the renamed type through the",
    "fields that refer to it and reports the one JSON-visible change (field 3 renamed `value` →",
    "`as_double`), which buf misses.",
    "",
  ];
}
