// Start-up: what a script calling crit once per image of a dump feels. `crit info|decode|show` of
// a small image and `criu-compat --help`, against `node -e 0` (the floor for any Node program),
// Python crit and go-criu crit on the same image, all interleaved; and the floor (startup-floor.ts).

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";
import type { Crit } from "../crit";
import { repoRoot } from "../paths";
import { interleave, ratio, seriesSummary, type Command, type Series, type Spread } from "./interleave";

export interface StartupFigures {
  image: string;
  cases: Record<string, ReturnType<typeof seriesSummary>>;
  /** On wall-clock time: what a user waits. */
  ratios: Record<string, Spread | undefined>;
  /** The same on CPU time (user + system): less moved by other work on the machine. */
  cpuRatios: Record<string, Spread | undefined>;
}

export function measureStartup(runs: number, crit: Crit | undefined, goCrit: string | undefined): StartupFigures {
  const image = join(repoRoot, "test", "fixtures", "corpus", "proc-minimal", "images", "pstree.img");
  const node = process.execPath;
  const ours = (args: string[]): string[] => [node, join(repoRoot, "dist", "crit.cjs"), ...args];
  const commands: Command[] = [
    { label: "node -e 0", argv: [node, "-e", "0"] },
    { label: "floor", argv: [node, buildFloor(), image] },
    { label: "crit info", argv: ours(["info", image]) },
    { label: "crit decode", argv: ours(["decode", "-i", image]) },
    { label: "crit show", argv: ours(["show", image]) },
    { label: "criu-compat --help", argv: [node, join(repoRoot, "dist", "criu-compat.js"), "--help"] },
  ];
  if (crit) {
    for (const verb of ["info", "decode"]) {
      const { argv, env } = crit.command(verb === "info" ? ["info", image] : ["decode", "-i", image]);
      commands.push({ label: `Python crit ${verb}`, argv, env });
    }
  }
  if (goCrit) {
    commands.push({ label: "go-criu crit info", argv: [goCrit, "info", image] });
    commands.push({ label: "go-criu crit decode", argv: [goCrit, "decode", "-i", image] });
  }
  const series = interleave(commands, runs);
  const by = new Map<string, Series>(series.map((s) => [s.label, s]));
  const get = (label: string): Series => by.get(label) ?? { label, samples: [], error: "not run" };
  return {
    image: "test/fixtures/corpus/proc-minimal/images/pstree.img",
    cases: Object.fromEntries(series.map((s) => [s.label, seriesSummary(s)])),
    ratios: ratios("wall"),
    cpuRatios: ratios("cpu"),
  };

  function ratios(on: "wall" | "cpu"): Record<string, Spread | undefined> {
    return {
      // The least any Node program doing this work costs, ÷ node.
      floorVsNode: ratio(get("floor"), get("node -e 0"), on),
      // ours ÷ node: at most 1.5 is the target.
      startupVsNode: ratio(get("crit info"), get("node -e 0"), on),
      // Python crit ÷ ours: at least 2 is the target.
      startupVsPythonCrit: ratio(get("Python crit info"), get("crit info"), on),
      startupVsGoCrit: ratio(get("go-criu crit info"), get("crit info"), on),
      decodeStartupVsPythonCrit: ratio(get("Python crit decode"), get("crit decode"), on),
    };
  }
}

/** startup-floor.ts, bundled and minified as dist/crit.cjs is. */
function buildFloor(): string {
  const outfile = join(repoRoot, "bench", "out", "startup-floor.cjs");
  mkdirSync(join(repoRoot, "bench", "out"), { recursive: true });
  buildSync({ entryPoints: [join(repoRoot, "bench", "peers", "startup-floor.ts")], outfile, bundle: true, format: "cjs", platform: "node", target: "node20", minify: true, logLevel: "warning" });
  return outfile;
}
