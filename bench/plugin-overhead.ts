// `buf breaking` with buf-plugin-criu against buf alone, on the real Mesos steps (both revisions
// compiled with source info, as buf builds them), interleaved. buf starts the plugin once per call
// (nine times a run), so two floors are timed too: a Node plugin that only writes fixed answers,
// and a shell one (`cat` of the same bytes). `BENCH_ONLY=plugin-overhead npm run bench`.

import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { CheckResponseSchema } from "../src/compat/plugin/gen/buf/plugin/check/v1/check_pb";
import { ResponseSchema } from "../src/compat/plugin/gen/pluginrpc/v1/pluginrpc_pb";
import { answerMetadata, LIST_CATEGORIES, LIST_RULES, specBytes } from "../src/compat/plugin/metadata";
import { repoRoot } from "./paths";
import { interleave, ratio, seriesSummary, type Command, type Series, type Spread } from "./peers/interleave";

const SHARED_STEPS = join(repoRoot, "..", "shared", "schema-histories", "steps.tar.xz");
const FIXTURE_STEPS = join(repoRoot, "test", "fixtures", "compat", "histories", "mesos");
const BUF = join(repoRoot, "node_modules", ".bin", "buf");
const CATEGORIES = "[WIRE_JSON, CRIU_WIRE, CRIU_JSON, CRIU_OPTIONS]";

export interface PluginOverheadFigures {
  steps: string[];
  source: string;
  runsPerStep: number;
  /** Plugin starts in one `buf breaking` run (counted by the shell floor). */
  pluginStartsPerRun: number;
  cases: Record<string, ReturnType<typeof seriesSummary>>;
  /** Per-pair ratios (median and quartiles) over all steps, CPU and wall. */
  spreads: Record<string, Spread | null>;
}

interface Variant {
  label: string;
  /** buf.yaml's breaking categories and plugin, if any. */
  use: string;
  plugin?: string;
}

/** The Mesos steps as old.binpb / new.binpb pairs under dir/steps. */
function prepareSteps(dir: string): { steps: string[]; source: string } {
  const out = join(dir, "steps");
  mkdirSync(out, { recursive: true });
  if (existsSync(SHARED_STEPS)) {
    execFileSync("tar", ["-xJf", SHARED_STEPS, "-C", out]);
    const root = join(out, "compat-share", "mesos");
    return { steps: readdirSync(root).sort().map((s) => join(root, s)), source: "../shared/schema-histories (full source info)" };
  }
  const steps = readdirSync(FIXTURE_STEPS).sort().map((s) => {
    const to = join(out, s);
    mkdirSync(to, { recursive: true });
    for (const side of ["old", "new"]) writeFileSync(join(to, `${side}.binpb`), gunzipSync(readFileSync(join(FIXTURE_STEPS, s, `${side}.binpb.gz`))));
    return to;
  });
  return { steps, source: "test/fixtures/compat/histories (source info trimmed)" };
}

/** The floors' fixed answers: the real metadata, and a Check that finds nothing. */
function writeFloors(dir: string): { node: string; shell: string; calls: string } {
  const answers = join(dir, "answers");
  mkdirSync(answers, { recursive: true });
  const empty = new Uint8Array();
  writeFileSync(join(answers, "protocol"), "1\n");
  writeFileSync(join(answers, "spec"), specBytes());
  writeFileSync(join(answers, "ListRules"), answerMetadata(LIST_RULES, empty)!);
  writeFileSync(join(answers, "ListCategories"), answerMetadata(LIST_CATEGORIES, empty)!);
  writeFileSync(join(answers, "Check"), toBinary(ResponseSchema, create(ResponseSchema, { value: anyPack(CheckResponseSchema, create(CheckResponseSchema)) })));
  const calls = join(dir, "calls.log");
  const shell = join(dir, "floor.sh");
  writeFileSync(
    shell,
    `#!/bin/sh\necho "$1" >> ${calls}\ncase "$1" in\n  --protocol) exec cat ${answers}/protocol;;\n  --spec) exec cat ${answers}/spec;;\n  *) cat > /dev/null; exec cat ${answers}/\${1##*/};;\nesac\n`,
  );
  const node = join(dir, "floor.mjs");
  writeFileSync(
    node,
    `#!/usr/bin/env node\nimport { readFileSync } from "node:fs";\nconst a = process.argv[2];\nconst name = a === "--protocol" ? "protocol" : a === "--spec" ? "spec" : a.slice(a.lastIndexOf("/") + 1);\nif (a.startsWith("/")) readFileSync(0);\nprocess.stdout.write(readFileSync(${JSON.stringify(answers)} + "/" + name));\n`,
  );
  for (const f of [shell, node]) chmodSync(f, 0o755);
  return { node, shell, calls };
}

export function measurePluginOverhead(dir: string, runs: number, progress: (line: string) => void): PluginOverheadFigures {
  const plugin = join(repoRoot, "dist", "buf-plugin-criu.js");
  if (!existsSync(plugin)) execFileSync("npm", ["run", "-s", "build"], { cwd: repoRoot, stdio: "inherit" });
  const { steps, source } = prepareSteps(dir);
  const floors = writeFloors(dir);
  const variants: Variant[] = [
    { label: "buf alone", use: "[WIRE_JSON]" },
    { label: "buf + buf-plugin-criu", use: CATEGORIES, plugin },
    { label: "buf + Node floor plugin", use: CATEGORIES, plugin: floors.node },
    { label: "buf + shell floor plugin", use: CATEGORIES, plugin: floors.shell },
  ];
  const all = new Map<string, Series>(variants.map((v) => [v.label, { label: v.label, samples: [] }]));
  for (const step of steps) {
    progress(`plugin overhead: ${step.split("/").slice(-2).join("/")}`);
    const commands: Command[] = variants.map((v, i) => {
      const cwd = join(dir, "modules", String(i));
      mkdirSync(cwd, { recursive: true });
      copyFileSync(join(step, "old.binpb"), join(cwd, "old.binpb"));
      copyFileSync(join(step, "new.binpb"), join(cwd, "new.binpb"));
      const plugins = v.plugin ? `plugins:\n  - plugin: ${v.plugin}\n` : "";
      writeFileSync(join(cwd, "buf.yaml"), `version: v2\nbreaking:\n  use: ${v.use}\n${plugins}`);
      // buf exits 100 when it finds something.
      return { label: v.label, argv: [BUF, "breaking", "new.binpb", "--against", "old.binpb", "--error-format", "json"], cwd, okStatus: [0, 100] };
    });
    for (const s of interleave(commands, runs)) {
      const into = all.get(s.label)!;
      into.samples.push(...s.samples);
      if (s.error) into.error = s.error;
    }
  }
  const by = (label: string) => all.get(label)!;
  const calls = readFileSync(floors.calls, "utf8").trim().split("\n").length;
  const shellRuns = (runs + 1) * steps.length; // with the warm-up runs
  const vsBuf = (label: string, on: "cpu" | "wall") => ratio(by(label), by("buf alone"), on) ?? null;
  return {
    steps: steps.map((s) => s.split("/").pop()!),
    source,
    runsPerStep: runs,
    pluginStartsPerRun: Number((calls / shellRuns).toFixed(2)),
    cases: Object.fromEntries([...all.values()].map((s) => [s.label, seriesSummary(s)])),
    spreads: {
      pluginOverheadVsBuf: vsBuf("buf + buf-plugin-criu", "cpu"),
      pluginOverheadVsBufWall: vsBuf("buf + buf-plugin-criu", "wall"),
      nodeFloorVsBuf: vsBuf("buf + Node floor plugin", "cpu"),
      nodeFloorVsBufWall: vsBuf("buf + Node floor plugin", "wall"),
      shellFloorVsBuf: vsBuf("buf + shell floor plugin", "cpu"),
      shellFloorVsBufWall: vsBuf("buf + shell floor plugin", "wall"),
    },
  };
}

/** The "at most" targets, as results.json keeps them: the upper quartile of the CPU-time ratios. */
export function pluginRatios(f: PluginOverheadFigures): Record<string, number | null> {
  return {
    pluginOverheadVsBuf: f.spreads.pluginOverheadVsBuf?.high ?? null,
    pluginNodeFloorVsBuf: f.spreads.nodeFloorVsBuf?.high ?? null,
    pluginShellFloorVsBuf: f.spreads.shellFloorVsBuf?.high ?? null,
  };
}

export function printPluginOverhead(f: PluginOverheadFigures, log: (line: string) => void): void {
  log("");
  log(`buf breaking on ${f.steps.length} Mesos steps (${f.source}), ${f.runsPerStep} interleaved runs each; ${f.pluginStartsPerRun} plugin starts per run`);
  for (const [label, c] of Object.entries(f.cases)) {
    const cpu = c.cpu ? `${c.cpu.median} s CPU [${c.cpu.low}, ${c.cpu.high}]` : "n/a";
    const wall = c.wall ? `${c.wall.median} s wall [${c.wall.low}, ${c.wall.high}]` : "";
    log(`  ${label.padEnd(26)} ${cpu}   ${wall}${c.error ? `   (${c.error})` : ""}`);
  }
  log("ratios to buf alone (median [lower quartile, upper quartile] of per-pair ratios):");
  for (const [name, s] of Object.entries(f.spreads)) log(`  ${name.padEnd(26)} ${s ? `${s.median} [${s.low}, ${s.high}]` : "n/a"}`);
}
