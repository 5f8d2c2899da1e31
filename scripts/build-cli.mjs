// Builds the `crit` command into one self-contained CommonJS file, dist/crit-main.cjs, started by
// dist/crit.cjs (src/cli/launch.ts: V8's code cache). Run after tsup
// (which empties dist/). Start-up is most of what a `crit info` costs, so:
// - one file with its dependencies (@bufbuild/protobuf, the decompressors) inlined and minified:
//   one read and one compile instead of a walk through dozens of modules;
// - CommonJS: Node's ESM loader alone costs a run about 10 ms more than loading a .cjs file;
// - each command's code is imported when that command runs (src/cli/commands/index.ts), so
//   esbuild wraps it to be initialised then, node: built-ins included.
import { build } from "esbuild";
import { chmodSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

// What the sources load with import() from outside the bundle (a built-in used on one path, the
// optional native socket module) becomes require(): the launcher runs the bundle as a vm.Script,
// which has no loader for import().
const LATE = /^(?:node:crypto|node-unix-socket)$/;
const lateRequire = {
  name: "late-require",
  setup(b) {
    b.onResolve({ filter: LATE }, (args) =>
      args.namespace === "late-require" ? { path: args.path, external: true } : { path: args.path, namespace: "late-require" },
    );
    b.onLoad({ filter: /.*/, namespace: "late-require" }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: "js" }));
  },
};
const outfile = `${root}dist/crit-main.cjs`;
await build({
  entryPoints: [`${root}src/cli/crit.ts`],
  outfile,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: true,
  legalComments: "linked",
  // The CRIU client's native socket module: loaded at run time, when installed.
  external: ["node-unix-socket"],
  plugins: [lateRequire],
  // import.meta.url (the explorer's page directory) as in the ESM build: this file's URL.
  define: { "import.meta.url": "__critFileUrl" },
  banner: { js: '"use strict";var __critFileUrl=require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
});
// The command itself: a small launcher giving the bundle V8's code cache (src/cli/launch.ts).
const launcher = `${root}dist/crit.cjs`;
await build({
  entryPoints: [`${root}src/cli/launch.ts`],
  outfile: launcher,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
});
chmodSync(launcher, 0o755);
if (/\bimport\(/.test(readFileSync(outfile, "utf8"))) throw new Error(`${outfile}: an import() is left, which the launcher cannot run`);
