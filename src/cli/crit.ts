#!/usr/bin/env node
import { parseArgs } from "node:util";
import { decode, encode, info, show } from "./commands";
import { HELP, USAGE, VERSION } from "./help";

/** `crit`: CRIU's image tool, compatible with CRIU 4.2's Python crit. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "-V") return print(`${VERSION}\n`);
  if (command === undefined || command === "-h" || command === "--help") return print(USAGE, command === undefined ? 1 : 0);
  const help = HELP[command];
  if (!help) return fail(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  if (command === "criu") return (await import("./criu")).criu(rest, help);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      in: { type: "string", short: "i" },
      out: { type: "string", short: "o" },
      pretty: { type: "boolean" },
      nopl: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return print(help);
  const expectPositionals = (n: number) => {
    if (positionals.length !== n) throw new UsageError(help);
  };
  switch (command) {
    case "decode":
      expectPositionals(0);
      await decode(values.in, values.out, values.pretty ?? false);
      return 0;
    case "encode":
      expectPositionals(0);
      await encode(values.in, values.out);
      return 0;
    case "show":
      expectPositionals(1);
      await show(positionals[0]!, values.nopl ?? false);
      return 0;
    case "info":
      expectPositionals(1);
      await info(positionals[0]!);
      return 0;
    case "x": {
      expectPositionals(2);
      const { explore } = await import("./explore");
      await explore(positionals[0]!, positionals[1]!);
      return 0;
    }
  }
  return fail(USAGE);
}

class UsageError extends Error {}

function print(text: string, code = 0): number {
  process.stdout.write(text);
  return code;
}

function fail(message: string): number {
  process.stderr.write(`crit: ${message.trimEnd()}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) process.exitCode = fail(err.message);
    // One line: which file, where, and what was expected.
    else process.exitCode = fail(err instanceof Error ? err.message.replace(/\s*\n\s*/g, " ") : String(err));
  },
);
