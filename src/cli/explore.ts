import { exploreFds, exploreMems, explorePs, exploreRss } from "../checkpoint/explore";
import { ExploreError, type DumpSource } from "../checkpoint/dump-source";
import { openDumpDir } from "../node/dump-dir";
import { writeOutput } from "./io";

const EXPLORERS: Record<string, (dump: DumpSource) => string> = {
  ps: explorePs,
  fds: exploreFds,
  mems: exploreMems,
  rss: exploreRss,
};

/** `crit x DIR WHAT`: prints what the explorer found; on a missing image, what it had so far. */
export async function explore(dir: string, what: string): Promise<void> {
  const explorer = EXPLORERS[what];
  if (!explorer) throw new Error(`x: unknown explorer ${JSON.stringify(what)}: expected ps, fds, mems or rss`);
  try {
    await writeOutput(undefined, explorer(openDumpDir(dir)));
  } catch (err) {
    if (err instanceof ExploreError && err.output) await writeOutput(undefined, err.output);
    throw err;
  }
}
