import { defineConfig } from "tsup";

// Two entry points sharing one copy of the library (splitting), so that classes such as
// ImageError are the same in both: `@criu/images` (browser-safe, no Node built-ins) and
// `@criu/images/node` (file-system helpers), `@criu/images/compat` (the schema checker, Node),
// and the `criu-compat` command. `crit` is built on its own into one file (scripts/build-cli.mjs):
// its start-up time matters; `buf-plugin-criu` too (scripts/build-plugin.mjs).
export default defineConfig({
  entry: {
    index: "src/index.ts",
    node: "src/node/index.ts",
    compat: "src/compat/index.ts",
    "criu-compat": "src/cli/criu-compat.ts",
  },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", node: "src/node/index.ts", compat: "src/compat/index.ts" } },
  target: "node20",
  platform: "node",
  clean: true,
  splitting: true,
  // `import.meta.url` is a syntax error in CommonJS: the shims turn it into an equivalent made
  // from __filename in the .cjs files (and would give ESM files __dirname, which would pull Node
  // built-ins into their chunk: test/package/browser.test.ts keeps those out of the main entry).
  shims: true,
  // The CRIU client's native socket module: loaded at run time by @criu/images/node only.
  external: ["node-unix-socket"],
});
