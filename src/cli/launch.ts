import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { Script } from "node:vm";

// dist/crit.cjs: starts crit (dist/crit-main.cjs, one bundled file) through V8's code cache.
// Compiling the bundle is a tenth of a `crit info`; with the cache V8 reads the compiled code
// instead. Node 20 has no module.enableCompileCache (22.1+), so this does the same by hand: the
// cache lives in $XDG_CACHE_HOME/criu-images (~/.cache/criu-images), one file per build of
// crit and Node version, written after the first run (to a temporary name, then renamed). V8
// rejects a cache that does not fit; then, or when the directory cannot be written (or
// CRIT_NO_CODE_CACHE is set), crit runs compiled as usual.

const main = join(__dirname, "crit-main.cjs");
const source = readFileSync(main, "utf8").replace(/^#!.*/, "");
const cacheFile = process.env.CRIT_NO_CODE_CACHE ? undefined : cachePath();
let cachedData: Buffer | undefined;
if (cacheFile) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: made after this run.
  }
}
// The CommonJS wrapper on the first line, so that line numbers stay those of the file.
// The bundle holds no import() (scripts/build-cli.mjs): a vm.Script has no loader for it.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: main, cachedData });
if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) process.once("exit", () => saveCache(cacheFile));
const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
const mainModule = { exports: {} };
run(mainModule.exports, createRequire(main), mainModule, main, __dirname);

function cachePath(): string | undefined {
  try {
    const { size, mtimeMs } = statSync(main);
    const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
    return join(base, "criu-images", `crit-${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}.v8cache`);
  } catch {
    return undefined;
  }
}

function saveCache(file: string): void {
  try {
    // After the run: the cache then holds the functions the run compiled too.
    const data = script.createCachedData();
    mkdirSync(join(file, ".."), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written only costs the next run its compile.
  }
}
