import { memparse } from "../memparse";
import { flag, QUIET, QUIET_HELP, stringOption, type Command } from "../command";

export const memparseCommand: Command = {
  name: "memparse",
  help: `usage: crit memparse [-h] DUMP [-p PID] [-s TEXT | -r REGEX | --search-hex HEX] [-c N] [--format text|json] [-q]

Process memory of a dump directory (following its pre-dump parents) or a checkpoint archive:
  without options       each task's memory size (checkpointctl's table)
  -p PID                a hexdump of the task's memory (rows equal to the one before shown as *)
  -s, --search TEXT     every occurrence of TEXT (as UTF-8) in every task's (or PID's) raw memory
  -r, --search-regex R  matches of a JavaScript regular expression over the bytes as Latin-1
                        (matches up to 4096 bytes long are found across page and chunk boundaries)
  --search-hex HEX      every occurrence of the bytes HEX (e.g. "6e 65 65 64")

options:
  -c, --context N       bytes of context shown before and after each match (default 0)
  --format text|json    output format (default text)
${QUIET_HELP}`,
  options: {
    pid: { type: "string", short: "p" },
    search: { type: "string", short: "s" },
    "search-regex": { type: "string", short: "r" },
    "search-hex": { type: "string" },
    context: { type: "string", short: "c" },
    format: { type: "string" },
    ...QUIET,
  },
  positionals: { min: 1, max: 1 },
  run: async (values, [path]) => {
    const pick = (name: string) => stringOption(values, name);
    await memparse(
      Object.fromEntries(["pid", "search", "search-regex", "search-hex", "context", "format"].flatMap((k) => (pick(k) === undefined ? [] : [[k, pick(k)]]))),
      path!,
      flag(values, "quiet"),
    );
  },
};
