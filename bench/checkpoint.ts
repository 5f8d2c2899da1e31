// The checkpoint case (`BENCH_ONLY=checkpoint npm run bench`): our `crit inspect --ps-tree-cmd
// --ps-tree-env` and `crit memparse -s NEEDLE` against checkpointctl 1.5's `inspect` and
// `memparse --search --pid` on a Podman checkpoint archive with GiBs of memory
// (checkpoint-archive.ts), as a plain tar, a tar.gz and a tar.zst. The outputs are checked to
// agree first (same command lines and environments, the needle at the same address); that check
// also warms the page cache, so the interleaved runs have no extra warm-up. Every run gets a fresh
// TMPDIR (checkpointctl extracts members there) and records the bytes sent to storage.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { buildSync } from "esbuild";
import { join } from "node:path";
import { prepareCheckpointArchives, type ArchiveKind, type CheckpointArchive } from "./checkpoint-archive";
import { interleave, ratio, seriesSummary, type Command, type Series, type Spread } from "./peers/interleave";
import { repoRoot } from "./paths";

const KINDS: ArchiveKind[] = ["tar", "tar.gz", "tar.zst"];

export interface KindFigures {
  archiveMB: number;
  agreement: { argvAndEnv: boolean; needleAddress: string | null; ours: string | null; checkpointctl: string | null };
  cases: Record<string, ReturnType<typeof seriesSummary> & { writeBytesMax?: number; tmpdirBytesAfterMax?: number }>;
  /** checkpointctl's time ÷ ours per interleaved pair, wall and CPU. */
  inspectVsCheckpointctl?: { wall?: Spread; cpu?: Spread };
  searchVsCheckpointctl?: { wall?: Spread; cpu?: Spread };
  /** checkpointctl memparse's time ÷ our decoder alone reading the archive: the most any reader of ours could reach. */
  searchFloorVsCheckpointctl?: { wall?: Spread; cpu?: Spread };
}

export interface CheckpointFigures {
  skipped?: string;
  mappingGiB?: number;
  generateSeconds?: number;
  runs?: number;
  kinds?: Partial<Record<ArchiveKind, KindFigures>>;
}

export function findCheckpointctl(): string | { unavailable: string } {
  const path = process.env.CHECKPOINTCTL ?? join(repoRoot, "..", "shared", "tools", "checkpointctl-1.5", "checkpointctl");
  return existsSync(path) ? path : { unavailable: `no checkpointctl at ${path} (set CHECKPOINTCTL)` };
}

/** `[PID]  argv` lines in tree order and each process's environment lines, sorted (checkpointctl prints them in random order). */
function treeShape(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let env: string[] = [];
  const flush = () => {
    out.push(...env.sort());
    env = [];
  };
  for (const line of lines) {
    const proc = /\[(\d+)\]\s+(.*?)\s*$/.exec(line);
    if (proc) {
      flush();
      out.push(`[${proc[1]}] ${proc[2]}`);
    } else if (/[├└]── [A-Za-z_][A-Za-z0-9_]*=/.test(line) && out.length > 0) env.push(line.replace(/^.*?── /, ""));
  }
  flush();
  return out.join("\n");
}

function needleAddresses(text: string, needle: string): string[] {
  return text
    .split("\n")
    .filter((l) => l.includes(needle))
    .map((l) => /\b([0-9a-f]{16})\b/.exec(l)?.[1] ?? "?");
}

/**
 * decompress-floor.ts bundled into one CommonJS file, started by plain `node` like the built `crit`:
 * through tsx the floor paid ~0.5 s of start-up that no command of ours pays.
 */
function floorScript(dir: string): string {
  const out = join(dir, "decompress-floor.cjs");
  if (!existsSync(out)) {
    buildSync({ entryPoints: [join(repoRoot, "bench", "decompress-floor.ts")], bundle: true, platform: "node", format: "cjs", target: "node20", outfile: out, logLevel: "error" });
  }
  return out;
}

function run(argv: string[]): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${argv.join(" ")}: exit ${r.status}: ${r.stderr.trim().split("\n").pop()}`);
  return r.stdout;
}

function measureKind(archive: CheckpointArchive, kind: ArchiveKind, ctl: string, dir: string, runs: number, log: (line: string) => void): KindFigures {
  const file = archive.files[kind];
  const node = process.execPath;
  const crit = join(repoRoot, "dist", "crit.cjs");
  const ours = { inspect: [node, crit, "inspect", file, "--ps-tree-cmd", "--ps-tree-env", "-q"], search: [node, crit, "memparse", file, "-s", archive.needle, "-q"] };
  const theirs = { inspect: [ctl, "inspect", "--ps-tree-cmd", "--ps-tree-env", file], search: [ctl, "memparse", "--search", archive.needle, "--pid", String(archive.pid), file] };

  const shapeOurs = treeShape(run(ours.inspect));
  const shapeTheirs = treeShape(run(theirs.inspect));
  const atOurs = needleAddresses(run(ours.search), archive.needle);
  const atTheirs = needleAddresses(run(theirs.search), archive.needle);
  const expected = archive.needleAddress.toString(16).padStart(16, "0");
  const agreement = {
    argvAndEnv: shapeOurs === shapeTheirs && shapeOurs.includes("[1] "),
    needleAddress: atOurs.join() === expected && atTheirs.join() === expected ? expected : null,
    ours: atOurs.join() || null,
    checkpointctl: atTheirs.join() || null,
  };
  log(`  ${kind}: agreement ${JSON.stringify(agreement)}`);
  if (!agreement.argvAndEnv) log(`  ours:\n${shapeOurs}\n  checkpointctl:\n${shapeTheirs}`);

  const commands: Command[] = [
    { label: "crit inspect", argv: ours.inspect },
    { label: "checkpointctl inspect", argv: theirs.inspect },
    { label: "crit memparse -s", argv: ours.search },
    { label: "checkpointctl memparse --search", argv: theirs.search },
  ];
  if (kind !== "tar") commands.push({ label: "our decoder alone (floor)", argv: [node, floorScript(dir), file] });
  if (kind === "tar.zst") commands.push({ label: "zstd -dc (C, for reference)", argv: ["zstd", "-dcq", file, "-o", "/dev/null"] });
  if (kind === "tar.gz") commands.push({ label: "gzip -dc (C, for reference)", argv: ["sh", "-c", 'gzip -dc "$0" >/dev/null', file] });
  const series = interleave(
    commands.map((c) => ({ ...c, freshTmpdirUnder: dir })),
    runs,
    1800,
    false,
  );
  const by = (label: string) => series.find((s) => s.label === label)!;
  const pair = (slow: Series, fast: Series) => ({ wall: ratio(slow, fast, "wall"), cpu: ratio(slow, fast, "cpu") });
  const cases = Object.fromEntries(
    series.map((s) => [
      s.label,
      {
        ...seriesSummary(s),
        ...(s.samples.length ? { writeBytesMax: Math.max(...s.samples.map((x) => x.writeBytes)), tmpdirBytesAfterMax: Math.max(...s.samples.map((x) => x.tmpdirBytesAfter ?? 0)) } : {}),
      },
    ]),
  );
  const floor = series.find((s) => s.label.startsWith("our decoder"));
  const figures: KindFigures = {
    archiveMB: Math.round(archive.sizes[kind] / 2 ** 20),
    agreement,
    cases,
    inspectVsCheckpointctl: pair(by("checkpointctl inspect"), by("crit inspect")),
    searchVsCheckpointctl: pair(by("checkpointctl memparse --search"), by("crit memparse -s")),
    ...(floor ? { searchFloorVsCheckpointctl: pair(by("checkpointctl memparse --search"), floor) } : {}),
  };
  for (const [label, c] of Object.entries(cases)) {
    log(`  ${kind.padEnd(7)} ${label.padEnd(34)} wall ${c.wall?.median ?? "?"} s, cpu ${c.cpu?.median ?? "?"} s, ${c.rssMB ?? "?"} MB, wrote ${c.writeBytesMax ?? "?"} B${c.error ? ` (${c.error})` : ""}`);
  }
  return figures;
}

/** Generates the archives (BENCH_CHECKPOINT_GIB of memory, 2 by default, 0.25 quick) and times every kind. */
export async function measureCheckpoint(dir: string, quick: boolean, log: (line: string) => void): Promise<CheckpointFigures> {
  const ctl = findCheckpointctl();
  if (typeof ctl !== "string") return { skipped: ctl.unavailable };
  for (const tool of ["zstd", "gzip"]) if (spawnSync(tool, ["--version"]).status !== 0) return { skipped: `the ${tool} tool is not installed` };
  if (!existsSync(join(repoRoot, "dist", "crit.cjs"))) execFileSync("npm", ["run", "-s", "build"], { cwd: repoRoot, stdio: "inherit" });
  const gib = Number(process.env.BENCH_CHECKPOINT_GIB ?? (quick ? 0.25 : 2));
  const runs = Number(process.env.BENCH_CHECKPOINT_RUNS ?? 3);
  const archive = await prepareCheckpointArchives(dir, Math.round(gib * 2 ** 30));
  log(`checkpoint archives: ${JSON.stringify(archive.sizes)} in ${archive.generateSeconds.toFixed(1)} s`);
  const kinds: Partial<Record<ArchiveKind, KindFigures>> = {};
  for (const kind of KINDS) kinds[kind] = measureKind(archive, kind, ctl, dir, runs, log);
  return { mappingGiB: gib, generateSeconds: Number(archive.generateSeconds.toFixed(1)), runs, kinds };
}

/** The figures for `ratios`: the lower quartile of each wall-time ratio per kind, and our largest peak RSS. */
export function checkpointRatios(figures: CheckpointFigures): Record<string, unknown> {
  const per = (key: "inspectVsCheckpointctl" | "searchVsCheckpointctl" | "searchFloorVsCheckpointctl") =>
    Object.fromEntries(KINDS.filter((k) => figures.kinds?.[k]?.[key]).map((k) => [k, figures.kinds![k]![key]!.wall?.low ?? null]));
  const rss = KINDS.flatMap((k) => ["crit inspect", "crit memparse -s"].map((c) => figures.kinds?.[k]?.cases[c]?.rssMB ?? 0));
  return {
    inspectVsCheckpointctl: per("inspectVsCheckpointctl"),
    searchVsCheckpointctl: per("searchVsCheckpointctl"),
    searchFloorVsCheckpointctl: per("searchFloorVsCheckpointctl"),
    checkpointPeakRssMB: Math.max(...rss),
  };
}
