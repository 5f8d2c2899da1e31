#!/usr/bin/env node
import { parseCommandArgs } from "./command";
import { COMMANDS } from "./commands/index";
import { BrokenPipe, CliError, UsageError } from "./errors";
import { CRIU_VERSION, PACKAGE_VERSION } from "./version";

// `crit`: CRIU's image tool, compatible with CRIU 4.2's Python crit. Exit status: 0 done, 1 an
// error (one line on stderr naming the file), 2 a usage error (with the command's usage), 141
// when the reader of standard output went away, 128+N when ended by signal N.

const USAGE = `usage: crit {${COMMANDS.map((c) => c.name).join(",")}} ...

CRiu Image Tool: read and write CRIU image files (compatible with CRIU ${CRIU_VERSION}'s crit)

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`).join("\n")}

options:
  -h, --help     this text
  -V, --version  the version of this crit and the CRIU release it matches

Run "crit COMMAND --help" for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V") return print(`crit ${PACKAGE_VERSION} (@criu/images), for CRIU ${CRIU_VERSION}\n`);
  if (name === "-h" || name === "--help") return print(USAGE);
  if (name === undefined) throw new UsageError("a command is required", USAGE);
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) throw new UsageError(`unknown command ${JSON.stringify(name)}`, USAGE);
  const command = await entry.load();
  const args = parseCommandArgs(command, rest);
  if (!args) return print(command.help);
  await command.run(args.values, args.positionals);
  return 0;
}

function print(text: string): number {
  process.stdout.write(text);
  return 0;
}

function report(err: unknown): number {
  if (err instanceof BrokenPipe) return err.exitCode;
  if (err instanceof UsageError) {
    process.stderr.write(`crit: ${err.message}\n${err.usage.trimEnd()}\n`);
    return err.exitCode;
  }
  // One line: which file, where, and what was expected.
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`crit: ${message.trim().replace(/\s*\n\s*/g, " ")}\n`);
  return err instanceof CliError ? err.exitCode : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = report(err);
  },
);
