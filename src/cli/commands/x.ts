import { stat } from "node:fs/promises";
import { exploreFds, exploreMems, explorePs, exploreRss } from "../../checkpoint/explore";
import { ExploreError, type DumpSource } from "../../checkpoint/dump-source";
import { openDumpDir } from "../../node/dump-dir";
import { CliError, namedError, UsageError } from "../errors";
import { usageOf, type Command } from "../command";
import { writeOutput } from "../output";

const EXPLORERS: Record<string, (dump: DumpSource) => string> = {
  ps: explorePs,
  fds: exploreFds,
  mems: exploreMems,
  rss: exploreRss,
};

export const x: Command = {
  name: "x",
  summary: "explore an image directory (ps, fds, mems, rss)",
  help: `usage: crit x [-h] DIR {ps,fds,mems,rss}

Explore an image directory:
  ps    the process tree
  fds   each process's open files
  mems  each process's memory mappings
  rss   each process's resident pages against its mappings
`,
  options: {},
  positionals: { min: 2, max: 2 },
  run: async (_, [dir, what]) => {
    const explorer = EXPLORERS[what!];
    if (!explorer) throw new UsageError(`x: unknown explorer ${JSON.stringify(what)}: expected ps, fds, mems or rss`, usageOf(x));
    await checkDirectory(dir!);
    // On a missing or bad image, print what the explorer had so far (as crit does), then the error.
    let text: string;
    try {
      text = explorer(openDumpDir(dir!));
    } catch (err) {
      if (err instanceof ExploreError && err.output) await writeOutput(undefined, err.output);
      throw err instanceof Error && !err.message.includes(dir!) ? new CliError(`${dir}: ${err.message}`) : err;
    }
    await writeOutput(undefined, text);
  },
};

async function checkDirectory(dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new CliError(`${dir}: Not a directory; expected a CRIU image directory`);
  } catch (err) {
    throw namedError(err, dir);
  }
}
