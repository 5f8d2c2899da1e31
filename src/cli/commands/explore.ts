import { exploreCommand } from "../explore-command";
import { stringOption, usageOf, type Command } from "../command";
import { UsageError } from "../errors";

export const explore: Command = {
  name: "explore",
  help: `usage: crit explore [-h] [--port PORT] [DUMP [--diff B]]

Serve the checkpoint explorer on 127.0.0.1 and print its URL. With DUMP (a dump directory or a
checkpoint archive), the page opens it; without, pick a folder or an archive in the page. Nothing
leaves this machine.

options:
  --port PORT  the port to listen on (default: a free one)
  --diff B     open the page on the diff of DUMP (A) and B, another dump directory or archive
`,
  options: { port: { type: "string" }, diff: { type: "string" } },
  positionals: { min: 0, max: 1 },
  run: (values, [dump]) => {
    const diff = stringOption(values, "diff");
    if (diff !== undefined && dump === undefined) throw new UsageError("explore: --diff B compares DUMP with B: give DUMP too", usageOf(explore));
    return exploreCommand(dump, stringOption(values, "port"), diff);
  },
};
