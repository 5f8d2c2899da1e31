import { exploreCommand } from "../explore-command";
import { stringOption, type Command } from "../command";

export const explore: Command = {
  name: "explore",
  help: `usage: crit explore [-h] [--port PORT] [DUMP]

Serve the checkpoint explorer on 127.0.0.1 and print its URL. With DUMP (a dump directory or a
checkpoint archive), the page opens it; without, pick a folder or an archive in the page. Nothing
leaves this machine.

options:
  --port PORT  the port to listen on (default: a free one)
`,
  options: { port: { type: "string" } },
  positionals: { min: 0, max: 1 },
  run: (values, [dump]) => exploreCommand(dump, stringOption(values, "port")),
};
