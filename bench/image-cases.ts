// The per-image cases of the full run: ours in a child process per case (bench/child.ts), the
// I/O floors, the typed decoders, and Python crit's decode and encode of the same image.

import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { CaseName, CaseResult, CaseSpec } from "./child";
import type { Config } from "./config";
import type { Crit } from "./crit";
import type { BenchImage } from "./images";
import { repoRoot } from "./paths";
import { figures, type CaseFigures, type ImageFigures } from "./report";
import { runChild } from "./spawn";

/** Every case of ours on one image, then Python crit's (when it runs). */
export function measureImage(image: BenchImage, config: Config, dir: string, crit: Crit | undefined): ImageFigures {
  const id = slug(image);
  const json = join(dir, "json", `${id}.json`);
  const pretty = join(dir, "json", `${id}.pretty.json`);
  const cases: Record<string, CaseFigures> = {};
  const checks: Record<string, boolean | undefined> = {};
  const ours = (label: string, name: CaseName, extra: Partial<CaseSpec> = {}) => {
    const r: CaseResult = runChild({ case: name, file: image.file, budget: config.budget, ...extra });
    cases[label] = figures(image, r.seconds, {
      peakRssMB: r.peakRssMB,
      runs: r.runs,
      firstSeconds: r.firstSeconds,
      phases: r.phases && Object.fromEntries(Object.entries(r.phases).map(([k, v]) => [k, Number(v.toPrecision(4))])),
      identical: r.identical,
      maxBufferedMB: r.maxBufferedMB,
      error: r.error,
    });
    if (r.entries !== undefined && image.entries === undefined && (name === "decode" || name === "stream")) image.entries = r.entries;
    return r;
  };
  const skip = (label: string, why: string) => (cases[label] = { skipped: why });

  ours("decode", "decode");
  if (image.huge) {
    // Its JSON (~1.4 GB) is longer than a V8 string can be, but the JSON cases work on bytes.
    // Plain only, as for crit: pretty JSON of a payload image differs only in its layout.
    ours("to-json", "to-json", { out: json });
    if (existsSync(json)) ours("from-json", "from-json", { json, out: join(dir, "out", `${id}.img`) });
    checks.ourEncodeIdentical = cases["from-json"]?.identical;
    const why = "plain JSON only on the large image (pretty differs only in layout)";
    for (const c of ["to-json-pretty", "from-json-pretty"]) skip(c, why);
  } else {
    ours("to-json", "to-json", { out: json });
    ours("to-json-pretty", "to-json-pretty", { out: pretty });
    if (existsSync(json)) ours("from-json", "from-json", { json, out: join(dir, "out", `${id}.img`) });
    if (existsSync(pretty)) ours("from-json-pretty", "from-json", { json: pretty, out: join(dir, "out", `${id}.pretty.img`) });
    checks.ourEncodeIdentical = cases["from-json"]?.identical;
    checks.ourEncodeFromPrettyIdentical = cases["from-json-pretty"]?.identical;
  }
  // The I/O floors: reading the input and writing an output of the same size, nothing more.
  if (existsSync(json)) {
    ours("I/O floor, image -> JSON", "io-floor", { json: image.file, out: join(dir, "out", `${id}.floor`), outBytes: statSync(json).size });
    ours("I/O floor, JSON -> image", "io-floor", { json, out: join(dir, "out", `${id}.floor`), outBytes: image.bytes });
  }
  ours("stream", "stream");
  ours("stream, a buffer per entry", "stream-per-entry");
  if (typedDecodable(image.magic)) {
    ours("protobufjs", "protobufjs");
    ours("protobufjs, each message dropped", "protobufjs-each");
    ours("protobuf-es fromBinary", "protobuf-es");
    ours("wire scan (floor)", "floor");
    ours("wire scan + one object per message kept", "floor-objects");
  }
  if (!crit) {
    for (const c of ["crit decode", "crit decode --pretty", "crit encode", "crit encode (pretty JSON)"]) skip(c, "Python crit unavailable");
  } else {
    measureCrit(image, config, dir, crit, { json, pretty, cases, checks });
  }
  rmSync(join(dir, "json"), { recursive: true, force: true });
  rmSync(join(dir, "out"), { recursive: true, force: true });
  rmSync(join(dir, "crit"), { recursive: true, force: true });
  for (const sub of ["json", "out", "crit"]) mkdirSync(join(dir, sub), { recursive: true });
  return {
    name: image.name,
    file: image.source === "corpus" ? relative(repoRoot, image.file) : relative(dir, image.file),
    source: image.source,
    magic: image.magic,
    bytes: image.bytes,
    entries: image.entries,
    generateSeconds: image.generateSeconds === undefined ? undefined : Number(image.generateSeconds.toFixed(2)),
    cases,
    checks,
  };
}

interface CritContext {
  json: string;
  pretty: string;
  cases: Record<string, CaseFigures>;
  checks: Record<string, boolean | undefined>;
}

function measureCrit(image: BenchImage, config: Config, dir: string, crit: Crit, ctx: CritContext): void {
  const id = slug(image);
  const critJson = join(dir, "crit", `${id}.json`);
  const critPretty = join(dir, "crit", `${id}.pretty.json`);
  const timeout = image.huge ? config.critLargeTimeout : config.critTimeout;
  const run = (label: string, args: string[]) => {
    const r = crit.run(args, timeout);
    ctx.cases[label] = figures(image, r.ok ? r.seconds : undefined, { peakRssMB: r.peakRssMB, error: r.ok ? undefined : `${r.error} after ${r.seconds.toFixed(1)} s` });
    return r.ok;
  };
  const decoded = run("crit decode", ["decode", "-i", image.file, "-o", critJson]);
  if (image.huge) {
    // Plain decode, and encode from crit's own JSON (ours cannot write it); pretty adds nothing
    // for a payload image but time.
    const out = join(dir, "crit", `${id}.img`);
    if (decoded && run("crit encode", ["encode", "-i", critJson, "-o", out])) ctx.checks.critEncodeIdentical = sameFile(out, image.file);
    else if (!decoded) ctx.cases["crit encode"] = { skipped: "crit decode did not finish" };
    rmSync(critJson, { force: true });
    rmSync(out, { force: true });
    const why = "not run on the large image (only decode and encode, time limit BENCH_CRIT_LARGE_TIMEOUT)";
    for (const c of ["crit decode --pretty", "crit encode (pretty JSON)"]) ctx.cases[c] = { skipped: why };
    return;
  }
  const decodedPretty = run("crit decode --pretty", ["decode", "--pretty", "-i", image.file, "-o", critPretty]);
  if (decoded && existsSync(ctx.json)) ctx.checks.jsonSameAsCrit = sameFile(critJson, ctx.json);
  if (decodedPretty && existsSync(ctx.pretty)) ctx.checks.prettySameAsCrit = sameFile(critPretty, ctx.pretty);
  const plainIn = existsSync(ctx.json) ? ctx.json : critJson;
  const prettyIn = existsSync(ctx.pretty) ? ctx.pretty : critPretty;
  const out = join(dir, "crit", `${id}.img`);
  if (existsSync(plainIn) && run("crit encode", ["encode", "-i", plainIn, "-o", out])) ctx.checks.critEncodeIdentical = sameFile(out, image.file);
  if (existsSync(prettyIn) && run("crit encode (pretty JSON)", ["encode", "-i", prettyIn, "-o", out])) {
    ctx.checks.critEncodeFromPrettyIdentical = sameFile(out, image.file);
  }
}

/** Images of plain messages, which protobufjs, protobuf-es and the wire scan can take. */
function typedDecodable(magic: string): boolean {
  return !["GHOST_FILE", "SK_QUEUES", "TCP_STREAM", "IPCNS_SEM", "IPCNS_MSG", "IPCNS_SHM", "BPFMAP_DATA"].includes(magic);
}

function sameFile(a: string, b: string): boolean {
  return statSync(a).size === statSync(b).size && readFileSync(a).equals(readFileSync(b));
}

function slug(image: BenchImage): string {
  return image.name.replace(/[^a-zA-Z0-9]+/g, "-");
}
