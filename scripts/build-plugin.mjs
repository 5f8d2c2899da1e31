// Builds the buf-plugin-criu command into dist/buf-plugin-criu.js, apart from tsup's shared chunks:
// buf starts it nine times per `buf breaking`, so it is bundled with @bufbuild/protobuf (no module
// resolution at start-up) and split, so that the rule engine (dist/buf-plugin/) is read only by
// Check. Also a CommonJS twin, dist/buf-plugin-criu.cjs, in one file (its engine initialised only
// for Check). Run after tsup (which empties dist/).
import { build } from "esbuild";
import { chmodSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const common = {
  entryPoints: { "buf-plugin-criu": `${root}src/cli/buf-plugin-criu.ts` },
  outdir: `${root}dist`,
  bundle: true,
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
};
await build({ ...common, format: "esm", splitting: true, chunkNames: "buf-plugin/[name]-[hash]" });
await build({ ...common, format: "cjs", outExtension: { ".js": ".cjs" } });
for (const ext of ["js", "cjs"]) chmodSync(`${root}dist/buf-plugin-criu.${ext}`, 0o755);
