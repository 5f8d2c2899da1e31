// npm run bench: generates the images, measures every case on each, compares with Python crit,
// protobufjs, protobuf-es and the wire-scan floor, prints the figures and writes
// bench/results.json. BENCH_QUICK=1 for a smoke run; BENCH_KEEP=1 keeps the temporary folder.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, relative } from "node:path";
import type { CaseName, CaseResult, CaseSpec } from "./child";
import { loadConfig, type Config } from "./config";
import { measureArchive } from "./archive";
import { checkpointRatios, measureCheckpoint } from "./checkpoint";
import { benchCliMemory } from "./cli-memory";
import { setUpCrit, type Crit } from "./crit";
import { prepareImages, type BenchImage } from "./images";
import { now } from "./measure";
import { repoRoot } from "./paths";
import { computeRatios, figures, printImage, printRatios, type CaseFigures, type ImageFigures } from "./report";
import { bundleChild, runChild } from "./spawn";
import { findGoCrit } from "./peers/go-crit";
import { measureAgainstGoCrit, worstLow } from "./peers/go-images";
import { canTime } from "./peers/interleave";
import { measureStartup, type StartupFigures } from "./peers/startup";
import { measureExplorer } from "./explorer";
import { encodeVariants, measureEncodeMessages, printEncodeFigures } from "./encode-messages";
import { measurePluginOverhead, pluginRatios, printPluginOverhead } from "./plugin-overhead";

const started = now();
// Other work on the machine skews the figures: the load averages go into results.json.
const loadAtStart = loadavg().map((x) => Number(x.toFixed(2)));
const log = (line: string) => console.log(line);
const progress = (line: string) => console.log(`[${(now() - started).toFixed(0).padStart(4)} s] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  const dir = mkdtempSync(join(tmpdir(), "criu-bench-"));
  try {
    if (process.env.BENCH_ONLY === "cli-memory") return cliMemory(dir);
    if (process.env.BENCH_ONLY === "plugin-overhead") return pluginOverhead(dir, loadConfig().quick);
    if (process.env.BENCH_ONLY === "startup") return startupOnly(config, dir);
    if (process.env.BENCH_ONLY === "explorer") return await explorerOnly(config, dir);
    if (process.env.BENCH_ONLY === "checkpoint") return await checkpointOnly(config, dir);
    if (process.env.BENCH_ONLY === "encode-message-images") return await encodeMessagesOnly(config, dir);
    await bench(config, dir);
  } finally {
    if (process.env.BENCH_KEEP === "1") progress(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function bench(config: Config, dir: string): Promise<void> {
  progress(`${config.quick ? "quick" : "full"} run in ${dir}`);
  await bundleChild();
  for (const sub of ["large", "json", "out", "crit"]) mkdirSync(join(dir, sub), { recursive: true });
  if (process.env.BENCH_ONLY === "archive") {
    // Just the archive case (it needs no images): `BENCH_ONLY=archive npm run bench`.
    const archive = await measureArchive(dir, config.quick, config.budget, progress);
    // The checkpoint case's keys (checkpoint, ratios) stay.
    const file = join(repoRoot, "bench", "results-archive.json");
    const kept = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
    writeFileSync(file, JSON.stringify({ ...kept, date: new Date().toISOString(), machine: machine(), archive }, null, 2) + "\n");
    return;
  }
  const crit = setUpCrit(join(dir, "crit-py"));
  if ("unavailable" in crit) progress(`Python crit unavailable: ${crit.unavailable}`);
  const images = await prepareImages(config, dir, progress);

  const baseline = runChild({ case: "baseline", file: "", budget: config.budget });
  const results: ImageFigures[] = [];
  for (const image of images) {
    progress(`measuring ${image.name}`);
    const figuresOf = measureImage(image, config, dir, "run" in crit ? crit : undefined);
    results.push(figuresOf);
    printImage(figuresOf, log);
  }

  progress("archive case");
  const archive = await measureArchive(dir, config.quick, config.budget, progress);
  const large = new Set(images.filter((i) => i.large).map((i) => i.name));
  const ratios = computeRatios(results, large);
  const peers = measurePeers(config, dir, images, "run" in crit ? crit : undefined);
  Object.assign(ratios.ratios, peers.ratios);
  printRatios(ratios, log);
  printPeerRatios(peers.spreads, log);
  const output = {
    date: new Date().toISOString(),
    quick: config.quick,
    machine: machine(),
    config,
    nodeBaselineRssMB: baseline.peakRssMB,
    crit: "run" in crit ? "CRIU crit 4.2 (../shared/tools/crit-4.2), Debian python3-protobuf (C++ backend)" : `unavailable: ${crit.unavailable}`,
    ratios: ratios.ratios,
    ratioDetails: ratios.details,
    peerRatioSpreads: peers.spreads,
    startup: peers.startup,
    goCrit: peers.goImages,
    pluginOverhead: peers.plugin,
    images: results,
    archive,
    totalSeconds: Math.round(now() - started),
  };
  const file = join(repoRoot, "bench", config.quick ? "results-quick.json" : "results.json");
  writeFileSync(file, JSON.stringify(output, null, 2) + "\n");
  progress(`wrote ${file}`);
}

/**
 * The interleaved peer cases (whole commands, ours and the peer taking turns): start-up against
 * node, Python crit and go-criu crit, and go-criu crit on the large message images. Each ratio is
 * written as its conservative bound (the lower quartile of the per-pair ratios where a target is
 * "at least", the upper quartile where it is "at most"); the spreads go beside it.
 */
function measurePeers(config: Config, dir: string, images: BenchImage[], crit: Crit | undefined) {
  const spreads: Record<string, { median: number; low: number; high: number; worst?: string } | null> = {};
  if (!canTime()) {
    progress("peer cases skipped: /usr/bin/time is missing (apt-get install time)");
    return { ratios: {}, spreads, startup: undefined, goImages: [], plugin: undefined };
  }
  if (!existsSync(join(repoRoot, "dist", "crit.cjs"))) execFileSync("npm", ["run", "-s", "build"], { cwd: repoRoot, stdio: "inherit" });
  const goCrit = findGoCrit();
  if (typeof goCrit !== "string") progress(`go-criu crit unavailable: ${goCrit.unavailable}`);
  progress("start-up, interleaved with node, Python crit and go-criu crit");
  const startup = measureStartup(config.quick ? 5 : 40, crit, typeof goCrit === "string" ? goCrit : undefined);
  Object.assign(spreads, startupRatios(startup).spreads);
  const goImages = [];
  if (typeof goCrit === "string") {
    for (const image of images.filter((i) => i.large && i.magic !== "PIPES_DATA")) {
      progress(`go-criu crit against ours on ${image.name}, interleaved`);
      goImages.push(measureAgainstGoCrit(image, join(dir, "out"), goCrit, config.quick ? 2 : 5));
    }
  }
  progress("buf breaking with buf-plugin-criu against buf alone, interleaved");
  const plugin = measurePluginOverhead(dir, config.quick ? 1 : 5, progress);
  Object.assign(spreads, plugin.spreads);
  spreads.decodeJsonVsGoCrit = worstLow(goImages, ["decode", "decodePretty"]);
  spreads.encodeVsGoCrit = worstLow(goImages, ["encode"]);
  const ratios = {
    ...startupRatios(startup).ratios,
    decodeJsonVsGoCrit: spreads.decodeJsonVsGoCrit?.low ?? null,
    encodeVsGoCrit: spreads.encodeVsGoCrit?.low ?? null,
    ...pluginRatios(plugin),
  };
  return { ratios, spreads, startup, goImages, plugin };
}

/** The start-up ratios as results.json keeps them: the conservative bound, and the spreads. */
function startupRatios(startup: StartupFigures) {
  const spreads = Object.fromEntries(Object.entries(startup.ratios).map(([name, r]) => [name, r ?? null]));
  const ratios = {
    startupVsNode: startup.ratios.startupVsNode?.high ?? null,
    startupVsPythonCrit: startup.ratios.startupVsPythonCrit?.low ?? null,
    startupVsGoCrit: startup.ratios.startupVsGoCrit?.low ?? null,
  };
  return { ratios, spreads };
}

/**
 * Only the start-up case (`BENCH_ONLY=startup npm run bench`, on the built dist/): its ratios,
 * spreads and figures replace those in bench/results.json; the other cases' figures stay.
 */
function startupOnly(config: Config, dir: string): void {
  if (!canTime()) throw new Error("the start-up case needs /usr/bin/time (apt-get install time)");
  if (!existsSync(join(repoRoot, "dist", "crit.cjs"))) execFileSync("npm", ["run", "-s", "build"], { cwd: repoRoot, stdio: "inherit" });
  const crit = setUpCrit(join(dir, "crit-py"));
  if ("unavailable" in crit) progress(`Python crit unavailable: ${crit.unavailable}`);
  const goCrit = findGoCrit();
  if (typeof goCrit !== "string") progress(`go-criu crit unavailable: ${goCrit.unavailable}`);
  progress("start-up, interleaved with node, Python crit and go-criu crit");
  const startup = measureStartup(config.quick ? 5 : 40, "run" in crit ? crit : undefined, typeof goCrit === "string" ? goCrit : undefined);
  for (const [label, c] of Object.entries(startup.cases)) log(`  ${label.padEnd(22)} wall ${c.wall?.median ?? "?"} s, cpu ${c.cpu?.median ?? "?"} s`);
  const { ratios, spreads } = startupRatios(startup);
  printPeerRatios(spreads, log);
  printPeerRatios(Object.fromEntries(Object.entries(startup.cpuRatios).map(([name, r]) => [`${name} (cpu)`, r ?? null])), log);
  const file = join(repoRoot, "bench", "results.json");
  const results = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
  Object.assign((results.ratios ??= {}), ratios);
  Object.assign((results.peerRatioSpreads ??= {}), spreads);
  results.startup = { date: new Date().toISOString(), machine: machine(), load: loadAtStart, quick: config.quick, ...startup };
  writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
  progress(`wrote ${file}`);
}

function printPeerRatios(spreads: Record<string, { median: number; low: number; high: number; worst?: string } | null>, log: (line: string) => void): void {
  log("");
  log("interleaved peer ratios (median [lower quartile, upper quartile] of per-pair ratios):");
  for (const [name, s] of Object.entries(spreads)) {
    const range = s === null ? "n/a" : `${s.median} [${s.low}, ${s.high}]`;
    log(`  ${name.padEnd(26)} ${range}${s?.worst ? `   (worst: ${s.worst})` : ""}`);
  }
}

/**
 * Only the checkpoint case (`BENCH_ONLY=checkpoint npm run bench`): its figures go into
 * bench/results-archive.json (`checkpoint`, `ratios`), its ratios and spreads into results.json's
 * `ratios` and `peerRatioSpreads` (the other keys stay).
 */
async function checkpointOnly(config: Config, dir: string): Promise<void> {
  if (!canTime()) throw new Error("the checkpoint case needs /usr/bin/time (apt-get install time)");
  progress(`checkpoint case in ${dir}`);
  const checkpoint = await measureCheckpoint(dir, config.quick, progress);
  if (checkpoint.skipped) progress(`checkpoint case skipped: ${checkpoint.skipped}`);
  const ratios = checkpointRatios(checkpoint);
  log(JSON.stringify(ratios, null, 2));
  const spreads = Object.fromEntries(
    Object.entries(checkpoint.kinds ?? {}).flatMap(([kind, k]) => [
      [`inspectVsCheckpointctl ${kind}`, k.inspectVsCheckpointctl?.wall ?? null],
      [`searchVsCheckpointctl ${kind}`, k.searchVsCheckpointctl?.wall ?? null],
    ]),
  );
  printPeerRatios(spreads, log);
  const suffix = config.quick ? "-quick" : "";
  const archiveFile = join(repoRoot, "bench", `results-archive${suffix}.json`);
  const archiveResults = (existsSync(archiveFile) ? JSON.parse(readFileSync(archiveFile, "utf8")) : {}) as Record<string, Record<string, unknown>>;
  Object.assign((archiveResults.ratios ??= {}), ratios);
  archiveResults.checkpoint = { date: new Date().toISOString(), machine: machine(), ...checkpoint };
  writeFileSync(archiveFile, JSON.stringify(archiveResults, null, 2) + "\n");
  if (!config.quick) {
    const file = join(repoRoot, "bench", "results.json");
    const results = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
    Object.assign((results.ratios ??= {}), ratios);
    Object.assign((results.peerRatioSpreads ??= {}), spreads);
    writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
  }
  progress(`wrote ${archiveFile}`);
}

/**
 * Only crit JSON -> image of the message images, in process, every encoder variant and Python
 * crit interleaved (bench/encode-messages.ts): bench/results-encode.json. BENCH_ENCODE_CRIT_RUNS=0
 * leaves crit out.
 */
async function encodeMessagesOnly(config: Config, dir: string): Promise<void> {
  const wantCrit = process.env.BENCH_ENCODE_CRIT_RUNS !== "0";
  const crit = wantCrit ? setUpCrit(join(dir, "crit-py")) : { unavailable: "BENCH_ENCODE_CRIT_RUNS=0" };
  if ("unavailable" in crit) progress(`Python crit left out: ${crit.unavailable}`);
  const figures = await measureEncodeMessages(config, dir, encodeVariants(), "run" in crit ? crit : undefined, progress);
  printEncodeFigures(figures, log);
  const file = join(repoRoot, "bench", config.quick ? "results-encode-quick.json" : "results-encode.json");
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: machine(), ...figures }, null, 2) + "\n");
  progress(`wrote ${file}`);
}

/** Only the explorer in headless chromium (bench/explorer.ts): bench/results-explorer.json. */
async function explorerOnly(config: Config, dir: string): Promise<void> {
  const figures = await measureExplorer(dir, config.quick, progress);
  if ("unavailable" in figures) return progress(`explorer case skipped: ${figures.unavailable}`);
  log(JSON.stringify(figures, null, 2));
  // results-explorer[-quick][-GIBgib][-served].json: a size or way of opening of its own never overwrites the default run's file.
  const gib = process.env.BENCH_CHECKPOINT_GIB ? `-${process.env.BENCH_CHECKPOINT_GIB}gib` : "";
  const served = process.env.BENCH_EXPLORER_SERVED === "1" ? "-served" : "";
  const file = join(repoRoot, "bench", `results-explorer${config.quick ? "-quick" : ""}${gib}${served}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: machine(), load: loadAtStart, ...figures }, null, 2) + "\n");
  progress(`wrote ${file}`);
}

/** Only `buf breaking` with and without the plugin (and its floors): bench/results-plugin.json. */
function pluginOverhead(dir: string, quick: boolean): void {
  if (!canTime()) throw new Error("the plugin-overhead case needs /usr/bin/time (apt-get install time)");
  const figures = measurePluginOverhead(dir, quick ? 1 : 5, progress);
  printPluginOverhead(figures, log);
  const file = join(repoRoot, "bench", quick ? "results-plugin-quick.json" : "results-plugin.json");
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: machine(), ratios: pluginRatios(figures), ...figures }, null, 2) + "\n");
  progress(`wrote ${file}`);
}

/** Only the CLI's memory on a 300 MiB image (the built dist/crit.cjs: run `npm run build` first). */
function cliMemory(dir: string): void {
  const result = benchCliMemory(dir);
  for (const c of result.cases) {
    const rss = c.peakRssMB === null ? "?" : `${c.peakRssMB} MB`;
    log(`${c.ok ? "ok  " : "FAIL"} ${c.seconds.toFixed(1).padStart(6)} s  ${rss.padStart(9)}  ${c.command}${c.error ? `: ${c.error}` : ""}`);
  }
  const over = result.cases.filter((c) => !c.ok || (c.peakRssMB ?? Infinity) > result.targetMB);
  log(over.length ? `${over.length} case(s) over ${result.targetMB} MB or failed` : `all under ${result.targetMB} MB`);
  const file = join(repoRoot, "bench", "results-cli-memory.json");
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: machine(), load: loadAtStart, ...result }, null, 2) + "\n");
  progress(`wrote ${file}`);
  if (over.length) process.exitCode = 1;
}

function measureImage(image: BenchImage, config: Config, dir: string, crit: Crit | undefined): ImageFigures {
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

function machine() {
  const python = (() => {
    try {
      return execFileSync("/usr/bin/python3", ["-c", "import sys, google.protobuf as p; print(sys.version.split()[0], p.__version__)"], { encoding: "utf8" }).trim();
    } catch {
      return "unavailable";
    }
  })();
  return {
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 1e9),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2))),
    pythonAndProtobuf: python,
  };
}

await main();
