import { parseArgs } from "node:util";
import { createCriuClient } from "../node/criu/index";

/** `crit criu version|check`: a smoke test of the CRIU RPC client against a real CRIU. */
export async function criu(args: string[], help: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      binary: { type: "string" },
      socket: { type: "string" },
      "timeout-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return write(help);
  const [action, ...extra] = positionals;
  if (extra.length > 0 || (action !== "version" && action !== "check")) return write(help, 1, process.stderr);
  const timeoutMs = values["timeout-ms"] === undefined ? 60_000 : Number(values["timeout-ms"]);
  if (!(timeoutMs > 0)) return write(`crit: --timeout-ms wants a positive number of milliseconds, not ${values["timeout-ms"]}\n`, 1, process.stderr);
  const client = createCriuClient({ binary: values.binary, socketPath: values.socket, timeoutMs });
  if (action === "check") {
    await client.check();
    return write("Looks good.\n");
  }
  const v = await client.version();
  const sublevel = v.sublevel ? `.${v.sublevel}` : "";
  return write(`Version: ${v.majorNumber}.${v.minorNumber}${sublevel}\n${v.gitid ? `GitID: ${v.gitid}\n` : ""}`);
}

function write(text: string, code = 0, stream: NodeJS.WriteStream = process.stdout): number {
  stream.write(text);
  return code;
}
