// CRIU's Python crit 4.2, made runnable and measured. It ships without its generated modules
// (`*_pb2.py`, `magic.py`, `pb.py`, `version.py`), so they are generated here, in a temporary
// folder, from our own proto/ (buf build → descriptor set → protoc --python_out) and our magic
// table. crit's own files are only symlinked into that folder, never copied.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MAGIC_TABLE } from "../src/image/magic-table";
import { repoRoot } from "./paths";

const PYTHON = "/usr/bin/python3";

export interface Crit {
  /** Runs crit with `args`; wall time and peak RSS of the Python process. */
  run(args: string[], timeoutSeconds: number): CritRun;
  /** The command line and environment that run crit with `args` (for interleaved timing). */
  command(args: string[]): { argv: string[]; env: NodeJS.ProcessEnv };
}

export interface CritRun {
  ok: boolean;
  seconds: number;
  peakRssMB: number | null;
  /** User + system seconds of crit's process (and the `timeout` around it). */
  cpuSeconds?: number;
  timedOut: boolean;
  error?: string;
}

/** Sets crit up in `dir`; returns why not when it cannot run here. */
export function setUpCrit(dir: string): Crit | { unavailable: string } {
  const critDir = process.env.CRIT_DIR ?? join(repoRoot, "..", "shared", "tools", "crit-4.2");
  if (!existsSync(join(critDir, "lib", "pycriu"))) return { unavailable: `no crit at ${critDir} (set CRIT_DIR)` };
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} is missing` };
  try {
    ensurePackage("python3-protobuf", () => works(PYTHON, ["-c", "import google.protobuf"]));
    ensurePackage("protobuf-compiler", () => works("protoc", ["--version"]));
    ensurePackage("time", () => existsSync("/usr/bin/time"));
  } catch (err) {
    return { unavailable: String((err as Error).message) };
  }
  const lib = join(dir, "lib");
  writeModules(critDir, lib);
  const env = {
    ...process.env,
    PYTHONPATH: [lib, join(lib, "pycriu", "images"), join(critDir, "crit")].join(":"),
    PYTHONDONTWRITEBYTECODE: "1",
  };
  // The same start-up as ../shared/tools/crit, which would override our PYTHONPATH.
  const main = 'import sys\nfrom crit.__main__ import main\nsys.argv[0] = "crit"\nmain()';
  const check = spawnSync(PYTHON, ["-c", main, "--version"], { env, encoding: "utf8" });
  if (check.status !== 0) return { unavailable: `crit does not start: ${check.stderr.trim().split("\n").pop()}` };
  return {
    run: (args, timeoutSeconds) => timed(["timeout", "-s", "KILL", String(timeoutSeconds), PYTHON, "-c", main, ...args], env),
    command: (args) => ({ argv: [PYTHON, "-c", main, ...args], env }),
  };
}

/** Installs a Debian package with apt-get when `present` says it is missing. */
function ensurePackage(name: string, present: () => boolean): void {
  if (present()) return;
  console.log(`bench: installing ${name} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let r = spawnSync("apt-get", ["install", "-y", name], { env, stdio: "inherit" });
  if (r.status !== 0) {
    spawnSync("apt-get", ["update"], { env, stdio: "inherit" });
    r = spawnSync("apt-get", ["install", "-y", name], { env, stdio: "inherit" });
  }
  if (r.status !== 0 || !present()) throw new Error(`${name} is missing and apt-get could not install it`);
}

function works(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
}

/** Writes the package layout crit expects: crit's files linked, the generated ones written. */
function writeModules(critDir: string, lib: string): void {
  const pycriu = join(lib, "pycriu");
  const images = join(pycriu, "images");
  mkdirSync(images, { recursive: true });
  for (const f of ["__init__.py", "criu.py"]) symlinkSync(join(critDir, "lib", "pycriu", f), join(pycriu, f));
  for (const f of readdirSync(join(critDir, "lib", "pycriu", "images"))) {
    if (f.endsWith(".py")) symlinkSync(join(critDir, "lib", "pycriu", "images", f), join(images, f));
  }
  writeFileSync(join(pycriu, "version.py"), "__version__ = '4.2'\n");

  // proto/ → one descriptor set (buf resolves google/protobuf/descriptor.proto) → Python.
  const set = join(lib, "criu.binpb");
  execFileSync(join(repoRoot, "node_modules", ".bin", "buf"), ["build", "--exclude-source-info", "-o", set], { cwd: repoRoot });
  const protos = readdirSync(join(repoRoot, "proto")).filter((f) => f.endsWith(".proto"));
  const imageProtos = protos.filter((f) => f !== "rpc.proto");
  execFileSync("protoc", [`--descriptor_set_in=${set}`, `--python_out=${images}`, ...imageProtos]);
  execFileSync("protoc", [`--descriptor_set_in=${set}`, `--python_out=${pycriu}`, "rpc.proto"]);
  // Absolute imports, as the generated modules import each other (the images folder is on the path).
  const modules = imageProtos.map((f) => f.replace(/\.proto$/, "_pb2").replace(/-/g, "_"));
  writeFileSync(join(images, "pb.py"), modules.map((m) => `from ${m} import *\n`).join(""));
  writeFileSync(join(images, "magic.py"), magicModule());
}

/** magic.py as CRIU's magic-gen.py writes it: by_name, and by_val where the first name wins. */
function magicModule(): string {
  const lines = ["by_name = {}", "by_val = {}"];
  const seen = new Set<number>();
  for (const row of MAGIC_TABLE) {
    if (row.kind !== "image" && row.kind !== "header") continue;
    lines.push(`by_name['${row.name}'] = ${row.value}`);
    if (!seen.has(row.value)) lines.push(`by_val[${row.value}] = '${row.name}'`);
    seen.add(row.value);
  }
  return lines.join("\n") + "\n";
}

/** Runs a command under /usr/bin/time -v: wall time from here, peak RSS from time's report. */
function timed(command: string[], env: NodeJS.ProcessEnv): CritRun {
  const start = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-v", ...command], { env, encoding: "utf8", maxBuffer: 1 << 20, stdio: ["ignore", "ignore", "pipe"] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stderr = r.stderr ?? "";
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const status = /Exit status: (\d+)/.exec(stderr);
  const signalled = /Command terminated by signal (\d+)/.exec(stderr);
  // timeout -s KILL exits 137; so does an out-of-memory kill.
  const timedOut = signalled?.[1] === "9" || status?.[1] === "137";
  const ok = r.status === 0 && !timedOut;
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  const run: CritRun = { ok, seconds, peakRssMB: rss ? Number(rss[1]) / 1024 : null, timedOut };
  if (user && sys) run.cpuSeconds = Number(user[1]) + Number(sys[1]);
  if (!ok) run.error = timedOut ? "killed: time limit reached (or out of memory)" : lastErrorLine(stderr);
  return run;
}

function lastErrorLine(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l.trim() && !l.startsWith("\t") && !l.startsWith("Command "));
  return lines.pop() ?? "failed";
}
