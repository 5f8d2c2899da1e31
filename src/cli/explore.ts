import { exploreFds, exploreMems, explorePs, exploreRss } from "../checkpoint/explore";
import { ExploreError, type DumpSource } from "../checkpoint/dump-source";
import { readDumpSource } from "../checkpoint/explore-source";
import { openCheckpoint } from "../checkpoint/model/open";
import { exploreSk } from "../checkpoint/views/explore-sk";
import { openDumpSource } from "./dump-source";
import { writeOutput } from "./io";

const EXPLORERS: Record<string, (dump: DumpSource) => string> = {
  ps: explorePs,
  fds: exploreFds,
  mems: exploreMems,
  rss: exploreRss,
};

/** `crit x DUMP WHAT`: prints what the explorer found; on a missing image, what it had so far. */
export async function explore(dir: string, what: string): Promise<void> {
  const explorer = EXPLORERS[what];
  if (!explorer && what !== "sk") throw new Error(`x: unknown explorer ${JSON.stringify(what)}: expected ps, fds, mems, rss or sk`);
  const source = await openDumpSource(dir);
  try {
    if (!explorer) return await writeOutput(undefined, exploreSk(await openCheckpoint(source)));
    await writeOutput(undefined, explorer(await readDumpSource(source)));
  } catch (err) {
    if (err instanceof ExploreError && err.output) await writeOutput(undefined, err.output);
    throw err;
  } finally {
    await source.close();
  }
}
