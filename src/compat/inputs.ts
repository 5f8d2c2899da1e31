import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createRegistry, fromBinary, fromJsonString } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { file_opts } from "../gen/opts_pb";
import { BUF_MISSING, findBuf } from "./buf";
import { descriptorSetProblems } from "./validate";

// Where a schema revision comes from: a descriptor set (.binpb / .json, protoc's or buf's), a
// directory of .proto files, `path@ref` in git, or `criu:vX.Y` shipped with this package.
// Node only: these read files and run buf and git.

export class InputError extends Error {
  override name = "InputError";
}

/** The package root: the nearest directory above this module that holds schemas/criu. */
function packageRoot(): string {
  // import.meta.url in the CommonJS build too: tsup's shims (tsup.config.ts) define it there.
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    if (existsSync(join(d, "schemas", "criu"))) return d;
    if (dirname(d) === d) throw new InputError("cannot find the shipped schemas (schemas/criu)");
  }
}

/** The CRIU releases shipped with the package, oldest first: ["v2.7", ..., "v4.2"]. */
export function shippedReleases(): string[] {
  const names = readdirSync(join(packageRoot(), "schemas", "criu"));
  const versions = names.flatMap((n) => /^criu-(v[\d.]+)\.binpb$/.exec(n)?.[1] ?? []);
  const key = (v: string) => v.slice(1).split(".").map(Number);
  return versions.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
    return 0;
  });
}

export function releaseDescriptorSet(release: string): FileDescriptorSet {
  const file = join(packageRoot(), "schemas", "criu", `criu-${release}.binpb`);
  if (!existsSync(file)) throw new InputError(`no shipped CRIU release ${release}; known: ${shippedReleases().join(", ")}`);
  return fromBinary(FileDescriptorSetSchema, readFileSync(file));
}

/** Compiles a directory of .proto files with `buf build`, keeping source info for line numbers. */
export function buildDirectory(dir: string): FileDescriptorSet {
  const buf = findBuf(packageRoot());
  if (!buf) throw new InputError(`${dir}: a directory of .proto files ${BUF_MISSING}`);
  try {
    const out = execFileSync(buf, ["build", resolve(dir), "-o", "-#format=binpb"], {
      maxBuffer: 256 << 20,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return fromBinary(FileDescriptorSetSchema, out);
  } catch (err) {
    // buf's own words (which file, which line), else why it could not run.
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    const reason = stderr || (err instanceof Error ? err.message : String(err));
    throw new InputError(`${buf} build ${dir} failed: ${reason}`);
  }
}

/**
 * `ref:dir` for `git archive`, with `dir` relative to the repository's root. `ref:./path` would
 * need a working tree; a bare repository has none (its paths start at the root), while a
 * working tree or a linked worktree takes `path` from `cwd`, which may be a subdirectory.
 */
function gitTreeish(path: string, ref: string, cwd: string): { treeish: string; root: string } {
  const git = (...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  const bare = git("rev-parse", "--is-bare-repository") === "true";
  const prefix = bare ? "" : git("rev-parse", "--show-prefix");
  // git archive run below the top of a working tree keeps only what is below it.
  const root = bare ? cwd : git("rev-parse", "--show-toplevel");
  const inRepo = posix.normalize(posix.join(prefix, path.split(sep).join("/")));
  if (inRepo === ".." || inRepo.startsWith("../") || posix.isAbsolute(inRepo)) {
    throw new InputError(`cannot read ${path} at ${ref}: the path is outside the git repository`);
  }
  return { treeish: `${ref}:${inRepo === "." ? "" : inRepo.replace(/\/$/, "")}`, root };
}

/** A git revision of a directory (bare repositories and worktrees too), unpacked into a temporary directory. */
export function buildGitRevision(path: string, ref: string, cwd = process.cwd()): FileDescriptorSet {
  const work = mkdtempSync(join(tmpdir(), "criu-compat-git-"));
  try {
    const { treeish, root } = gitTreeish(path, ref, cwd);
    const archive = execFileSync("git", ["archive", "--format=tar", treeish], {
      cwd: root,
      maxBuffer: 256 << 20,
      stdio: ["ignore", "pipe", "pipe"],
    });
    execFileSync("tar", ["-x", "-C", work], { input: archive });
    return buildDirectory(work);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new InputError(`cannot read ${path} at ${ref}${stderr ? `: ${stderr}` : ""}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A descriptor set or Buf image as JSON; the (criu) options parse as the extension they are. */
function readJsonDescriptorSet(file: string, spec: string): FileDescriptorSet {
  try {
    return fromJsonString(FileDescriptorSetSchema, readFileSync(file, "utf8"), {
      ignoreUnknownFields: true,
      registry: createRegistry(file_opts),
    });
  } catch (err) {
    throw new InputError(`${spec}: not a descriptor set in JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/**
 * Loads one revision. `spec` is `criu:v4.2`, a `.binpb`/`.bin`/`.pb` or `.json` descriptor set,
 * a directory of .proto files, or `path@ref` (a directory in a git revision); relative paths
 * and git revisions are taken from `cwd`.
 */
export function loadDescriptorSet(spec: string, cwd = process.cwd()): FileDescriptorSet {
  const set = loadUnchecked(spec, cwd);
  const problems = descriptorSetProblems(set);
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).map((p) => `\n  ${p}`).join("") + (problems.length > 10 ? `\n  ... (${problems.length} problems)` : "");
    throw new InputError(`${spec}: not a valid descriptor set:${shown}`);
  }
  return set;
}

/** A descriptor set file as protobuf reads it: InputError when it is not one. */
function readBinaryDescriptorSet(file: string, spec: string): FileDescriptorSet {
  try {
    return fromBinary(FileDescriptorSetSchema, readFileSync(file));
  } catch (err) {
    throw new InputError(`${spec}: not a descriptor set (${err instanceof Error ? err.message : String(err)})`);
  }
}

function loadUnchecked(spec: string, cwd: string): FileDescriptorSet {
  if (spec.startsWith("criu:")) return releaseDescriptorSet(spec.slice("criu:".length));
  const file = resolve(cwd, spec);
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) return buildDirectory(file);
    if (file.endsWith(".json")) return readJsonDescriptorSet(file, spec);
    return readBinaryDescriptorSet(file, spec);
  }
  const at = spec.lastIndexOf("@");
  if (at >= 0) return buildGitRevision(spec.slice(0, at) || ".", spec.slice(at + 1), cwd);
  throw new InputError(`no such file, directory or criu:RELEASE: ${spec}`);
}
