// Builds the checkpoint explorer (src/explorer) into dist/explorer: the page's script, its worker
// and the static files. Run after tsup (which empties dist/).
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const out = `${root}dist/explorer`;
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { main: `${root}src/explorer/main.tsx`, worker: `${root}src/explorer/worker.ts` },
  outdir: out,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["chrome111", "firefox111", "safari16.4"],
  jsx: "automatic",
  jsxImportSource: "preact",
  minify: true,
  sourcemap: true,
  legalComments: "none",
  logLevel: "warning",
});
for (const file of ["index.html", "style.css"]) copyFileSync(`${root}src/explorer/${file}`, `${out}/${file}`);
