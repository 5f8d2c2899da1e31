// Builds the `crit` command into one self-contained CommonJS file, dist/crit.cjs. Run after tsup
// (which empties dist/). Start-up is most of what a `crit info` costs, so:
// - one file with its dependencies (@bufbuild/protobuf, the decompressors) inlined and minified:
//   one read and one compile instead of a walk through dozens of modules;
// - CommonJS: Node's ESM loader alone costs a run about 10 ms more than loading a .cjs file;
// - each command's code is imported when that command runs (src/cli/commands/index.ts), so
//   esbuild wraps it to be initialised then, node: built-ins included.
import { build } from "esbuild";
import { chmodSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const outfile = `${root}dist/crit.cjs`;
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
  // import.meta.url (the explorer's page directory) as in the ESM build: this file's URL.
  define: { "import.meta.url": "__critFileUrl" },
  banner: { js: '"use strict";var __critFileUrl=require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
});
chmodSync(outfile, 0o755);
