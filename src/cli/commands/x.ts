import { exploreFds, exploreMems, explorePs, exploreRss } from "../../checkpoint/explore";
import { ExploreError, type DumpSource } from "../../checkpoint/dump-source";
import { readDumpSource } from "../../checkpoint/explore-source";
import { openCheckpoint } from "../../checkpoint/model/open";
import { exploreSk } from "../../checkpoint/views/explore-sk";
import { CliError, UsageError } from "../errors";
import { flag, QUIET, QUIET_HELP, usageOf, type Command } from "../command";
import { openDumpSource } from "../dump-source";
import { writeOutput } from "../output";

const EXPLORERS: Record<string, (dump: DumpSource) => string> = {
  ps: explorePs,
  fds: exploreFds,
  mems: exploreMems,
  rss: exploreRss,
};

export const x: Command = {
  name: "x",
  help: `usage: crit x [-h] [-q] DUMP {ps,fds,mems,rss,sk}

Explore a dump directory or a checkpoint archive (tar, tar.gz, tar.zst, tar.xz):
  ps    the process tree
  fds   each process's open files
  mems  each process's memory mappings
  rss   each process's resident pages against its mappings
  sk    each process's sockets (go-criu's explorer)

options:
${QUIET_HELP}`,
  options: { ...QUIET },
  positionals: { min: 2, max: 2 },
  run: async (values, [dump, what]) => {
    const explorer = EXPLORERS[what!];
    if (!explorer && what !== "sk") throw new UsageError(`x: unknown explorer ${JSON.stringify(what)}: expected ps, fds, mems, rss or sk`, usageOf(x));
    const source = await openDumpSource(dump!, { quiet: flag(values, "quiet") });
    // On a missing or bad image, print what the explorer had so far (as crit does), then the error.
    try {
      if (!explorer) return await writeOutput(undefined, exploreSk(await openCheckpoint(source)));
      await writeOutput(undefined, explorer(await readDumpSource(source)));
    } catch (err) {
      if (err instanceof ExploreError && err.output) await writeOutput(undefined, err.output);
      throw err instanceof Error && !err.message.includes(dump!) ? new CliError(`${dump}: ${err.message}`) : err;
    } finally {
      await source.close();
    }
  },
};
