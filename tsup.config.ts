import { defineConfig } from "tsup";

// Two entry points sharing one copy of the library (splitting), so that classes such as
// ImageError are the same in both: `@criu/images` (browser-safe, no Node built-ins) and
// `@criu/images/node` (file-system helpers), plus the `crit` command.
export default defineConfig({
  entry: { index: "src/index.ts", node: "src/node/index.ts", crit: "src/cli/crit.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", node: "src/node/index.ts" } },
  target: "node20",
  platform: "node",
  clean: true,
  splitting: true,
});
