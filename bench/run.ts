// npm run bench: generates the images, measures every case on each, compares with Python crit,
// protobufjs, protobuf-es and the wire-scan floor, prints the figures and writes
// bench/results.json; then the interleaved JSON -> image, image -> JSON and typed-decode cases
// (results-encode.json, results-decode.json, results-typed.json) and the checkpoint case against
// checkpointctl (results-archive.json), whose ratios go into results.json too. BENCH_QUICK=1 for
// a smoke run; BENCH_KEEP=1 keeps the temporary folder; BENCH_SKIP=checkpoint,
// encode-message-images,decode-message-images,typed-decode leaves those cases out.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { loadConfig, type Config } from "./config";
import { measureArchive } from "./archive";
import { measureImage } from "./image-cases";
import { checkpointRatios, measureCheckpoint } from "./checkpoint";
import { benchCliMemory } from "./cli-memory";
import { setUpCrit, type Crit } from "./crit";
import { prepareImages, type BenchImage } from "./images";
import { now } from "./measure";
import { repoRoot } from "./paths";
import { computeRatios, printImage, printRatios, type ImageFigures } from "./report";
import { bundleChild, bundleOnePassFloor, runChild } from "./spawn";
import { typedDecodeCase } from "./typed-decode";
import { goCritOnly } from "./go-crit-case";
import { findGoCrit } from "./peers/go-crit";
import { goCritCeiling, measureAgainstGoCrit, onePassCeiling, worstLow, type GoImageFigures } from "./peers/go-images";
import { canTime } from "./peers/interleave";
import { measureStartup, type StartupFigures } from "./peers/startup";
import { measureExplorer } from "./explorer";
import { decodeMessagesCase, encodeMessagesCase, messagesOnly } from "./message-cases";
import { measurePluginOverhead, pluginRatios, printPluginOverhead } from "./plugin-overhead";
import { payloadOnly } from "./payload";

const started = now();
// Other work on the machine skews the figures: the load averages go into results.json.
const loadAtStart = loadavg().map((x) => Number(x.toFixed(2)));
const log = (line: string) => console.log(line);
const progress = (line: string) => console.log(`[${(now() - started).toFixed(0).padStart(4)} s] ${line}`);
const reporting = { progress, log, machine: () => machine() };

async function main(): Promise<void> {
  const config = loadConfig();
  const dir = mkdtempSync(join(tmpdir(), "criu-bench-"));
  try {
    if (process.env.BENCH_ONLY === "cli-memory") return cliMemory(dir);
    if (process.env.BENCH_ONLY === "plugin-overhead") return pluginOverhead(dir, loadConfig().quick);
    if (process.env.BENCH_ONLY === "startup") return startupOnly(config, dir);
    if (process.env.BENCH_ONLY === "explorer") return await explorerOnly(config, dir);
    if (process.env.BENCH_ONLY === "checkpoint") return await checkpointOnly(config, dir);
    if (process.env.BENCH_ONLY === "encode-message-images") return await messagesOnly("encode", config, dir, reporting);
    if (process.env.BENCH_ONLY === "decode-message-images") return await messagesOnly("decode", config, dir, reporting);
    if (process.env.BENCH_ONLY === "typed-decode") return void (await typedDecodeCase(config, dir, reporting));
    if (process.env.BENCH_ONLY === "go-crit") return await goCritOnly(config, dir, reporting);
    if (process.env.BENCH_ONLY === "payload") return await payloadOnly(config, dir, progress, log, machine);
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
  const peers = await measurePeers(config, dir, images, "run" in crit ? crit : undefined);
  Object.assign(ratios.ratios, peers.ratios, goCritCeilings(peers.goImages, results));
  // The interleaved cases of their own, so that one run gives every ratio (BENCH_SKIP leaves them out).
  const encodeMessages = skipped("encode-message-images") ? undefined : await encodeMessagesCase(config, dir, crit, reporting);
  if (encodeMessages) interleavedRatio(ratios, "encodeVsCritMessageImages", encodeMessages.encodeVsCritMessageImages);
  const decodeMessages = skipped("decode-message-images") ? undefined : await decodeMessagesCase(config, dir, crit, reporting);
  if (decodeMessages) interleavedRatio(ratios, "decodeJsonVsCritMessageImages", decodeMessages.decodeJsonVsCritMessageImages);
  const typed = skipped("typed-decode") ? undefined : await typedDecodeCase(config, dir, reporting);
  if (typed) interleavedRatio(ratios, "typedDecodeVsProtobufjs", typed.typedDecodeVsProtobufjs);
  const checkpoint = skipped("checkpoint") ? undefined : await checkpointCase(config, dir);
  if (checkpoint) {
    Object.assign(ratios.ratios, checkpoint.ratios);
    Object.assign(peers.spreads, checkpoint.spreads);
  }
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
 * An interleaved case's ratio (steadier than the sequential figure, which stays in ratioDetails
 * as NAMESequential) put under `ratios`; the case's own figures are in its results file.
 */
function interleavedRatio(ratios: { ratios: object; details: object }, name: string, figure: { low: number; worst: string } | null): void {
  (ratios.ratios as Record<string, unknown>)[name] = figure?.low ?? null;
  const details = ratios.details as Record<string, unknown>;
  details[`${name}Sequential`] = details[name];
  details[name] = { value: figure?.low ?? null, worst: figure?.worst, each: {} };
}

/**
 * The interleaved peer cases (whole commands, ours and the peer taking turns): start-up against
 * node, Python crit and go-criu crit, and go-criu crit on the large message images. Each ratio is
 * written as its conservative bound (the lower quartile of the per-pair ratios where a target is
 * "at least", the upper quartile where it is "at most"); the spreads go beside it.
 */
async function measurePeers(config: Config, dir: string, images: BenchImage[], crit: Crit | undefined) {
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
    const floor = await bundleOnePassFloor();
    for (const image of images.filter((i) => i.large && i.magic !== "PIPES_DATA")) {
      progress(`go-criu crit against ours on ${image.name}, interleaved`);
      goImages.push(measureAgainstGoCrit(image, join(dir, "out"), goCrit, config.quick ? 2 : 5, floor));
    }
  }
  progress("buf breaking with buf-plugin-criu against buf alone, interleaved");
  const plugin = measurePluginOverhead(dir, config.quick ? 1 : 5, progress);
  Object.assign(spreads, plugin.spreads);
  spreads.decodeJsonVsGoCrit = worstLow(goImages, ["decode", "decodePretty"]);
  spreads.encodeVsGoCrit = worstLow(goImages, ["encode"]);
  spreads.encodeVsGoCritOnePassCeiling = onePassCeiling(goImages);
  const ratios = {
    ...startupRatios(startup).ratios,
    decodeJsonVsGoCrit: spreads.decodeJsonVsGoCrit?.low ?? null,
    encodeVsGoCrit: spreads.encodeVsGoCrit?.low ?? null,
    encodeVsGoCritOnePassCeiling: spreads.encodeVsGoCritOnePassCeiling?.high ?? null,
    ...pluginRatios(plugin),
  };
  return { ratios, spreads, startup, goImages, plugin };
}

/**
 * decodeJsonVsGoCritCeiling and encodeVsGoCritCeiling: the smallest over the images of what any
 * Node program could reach against go-criu (goCritCeiling); below 10 the target is out of reach.
 */
function goCritCeilings(goImages: GoImageFigures[], results: ImageFigures[]) {
  const out: Record<string, number | null> = { decodeJsonVsGoCritCeiling: null, encodeVsGoCritCeiling: null };
  for (const g of goImages) {
    const cases = results.find((r) => r.name === g.image)?.cases;
    if (!cases) continue;
    const c = goCritCeiling(g, {
      decodeFloor: cases["I/O floor, image -> JSON"]?.seconds,
      wireScan: cases["wire scan (floor)"]?.seconds,
      encodeFloor: cases["I/O floor, JSON -> image"]?.seconds,
    });
    g.ceiling = c;
    if (c.decode !== undefined) out.decodeJsonVsGoCritCeiling = Math.min(out.decodeJsonVsGoCritCeiling ?? Infinity, c.decode);
    if (c.encode !== undefined) out.encodeVsGoCritCeiling = Math.min(out.encodeVsGoCritCeiling ?? Infinity, c.encode);
  }
  return out;
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
  const { ratios, spreads } = await checkpointCase(config, dir);
  if (!config.quick) {
    const file = join(repoRoot, "bench", "results.json");
    const results = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
    Object.assign((results.ratios ??= {}), ratios);
    Object.assign((results.peerRatioSpreads ??= {}), spreads);
    writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
  }
}

/** BENCH_SKIP=checkpoint,encode-message-images,decode-message-images,typed-decode leaves those cases out of the full run. */
function skipped(name: string): boolean {
  const skip = (process.env.BENCH_SKIP ?? "").split(",").map((x) => x.trim());
  if (skip.includes(name)) progress(`${name} case left out (BENCH_SKIP)`);
  return skip.includes(name);
}

/**
 * The checkpoint case (bench/checkpoint.ts): its figures go into bench/results-archive.json
 * (`checkpoint`, `ratios`); its ratios and spreads are returned for results.json.
 */
async function checkpointCase(config: Config, dir: string) {
  if (!canTime()) {
    progress("checkpoint case skipped: /usr/bin/time is missing (apt-get install time)");
    return { ratios: {}, spreads: {} };
  }
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
  progress(`wrote ${archiveFile}`);
  return { ratios, spreads };
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
