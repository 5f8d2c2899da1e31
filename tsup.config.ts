import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  target: "node20",
  platform: "neutral",
  clean: true,
  splitting: false,
  sourcemap: false,
});
