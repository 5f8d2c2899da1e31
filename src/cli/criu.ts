import { createCriuClient } from "../node/criu/index";
import { stringOption, usageOf, type Command } from "./command";
import { UsageError } from "./errors";
import { writeOutput } from "./output";

/** `crit criu version|check`: a smoke test of the CRIU RPC client against a real CRIU. */
export const criuCommand: Command = {
  name: "criu",
  help: `usage: crit criu [-h] [--binary PATH | --socket PATH] [--timeout-ms MS] {version,check}

Ask a real CRIU over RPC (a smoke test of @criu/images/node's CRIU client):
  version  CRIU's version, as \`criu --version\` prints it
  check    CRIU's kernel check ("Looks good." when it passes; needs root)

options:
  --binary PATH    start PATH as \`criu swrk\` (default: $CRIU_BINARY, else criu from PATH)
  --socket PATH    talk to a running \`criu service\` on PATH instead
  --timeout-ms MS  give up after MS milliseconds (default 60000)
`,
  options: { binary: { type: "string" }, socket: { type: "string" }, "timeout-ms": { type: "string" } },
  positionals: { min: 1, max: 1 },
  run: async (values, [action]) => {
    if (action !== "version" && action !== "check") throw new UsageError(`criu: expected version or check, not ${JSON.stringify(action)}`, usageOf(criuCommand));
    const timeoutText = stringOption(values, "timeout-ms");
    const timeoutMs = timeoutText === undefined ? 60_000 : Number(timeoutText);
    if (!(timeoutMs > 0)) throw new UsageError(`criu: --timeout-ms wants a positive number of milliseconds, not ${timeoutText}`, usageOf(criuCommand));
    const client = createCriuClient({ binary: stringOption(values, "binary"), socketPath: stringOption(values, "socket"), timeoutMs });
    if (action === "check") {
      await client.check();
      return writeOutput(undefined, "Looks good.\n");
    }
    const v = await client.version();
    const sublevel = v.sublevel ? `.${v.sublevel}` : "";
    await writeOutput(undefined, `Version: ${v.majorNumber}.${v.minorNumber}${sublevel}\n${v.gitid ? `GitID: ${v.gitid}\n` : ""}`);
  },
};
