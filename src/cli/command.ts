import { parseArgs } from "node:util";
import { UsageError } from "./errors";

// A crit command declares its own options, positionals and help text; crit.ts only dispatches.
// Anything not declared (another command's option, a misspelling) is a usage error, exit 2.

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
}

export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Command {
  name: string;
  /** The text of `crit NAME --help`, starting with its usage line. */
  help: string;
  /** Its options, besides -h/--help which every command has. */
  options: Record<string, OptionSpec>;
  /** How many positional arguments it takes. */
  positionals: { min: number; max: number };
  run(values: OptionValues, positionals: string[]): Promise<void>;
}

/** The usage line(s) of a command's help: what a usage error prints. */
export function usageOf(command: Command): string {
  return command.help.split("\n\n")[0]!;
}

/** Parses a command's arguments against its own table; undefined means --help was asked for. */
export function parseCommandArgs(command: Command, args: string[]): { values: OptionValues; positionals: string[] } | undefined {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { ...command.options, help: { type: "boolean", short: "h" } } });
  } catch (err) {
    // Node's texts name the option and say what is wrong; its advice about "--" is dropped.
    const text = err instanceof Error ? err.message.replace(/\. To specify a positional argument.*$/s, "") : String(err);
    throw new UsageError(`${command.name}: ${text}`, usageOf(command));
  }
  if (parsed.values.help) return undefined;
  const { min, max } = command.positionals;
  const n = parsed.positionals.length;
  if (n < min) throw new UsageError(`${command.name}: too few arguments`, usageOf(command));
  if (n > max) throw new UsageError(`${command.name}: unexpected argument ${JSON.stringify(parsed.positionals[max])}`, usageOf(command));
  return { values: parsed.values as OptionValues, positionals: parsed.positionals };
}

/** An option's value as a string (parseArgs has checked its type against the table). */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/** The --quiet option, shared by the commands that read a possibly long input. */
export const QUIET: Record<string, OptionSpec> = { quiet: { type: "boolean", short: "q" } };
export const QUIET_HELP = "  -q, --quiet    no progress on stderr (shown when it is a terminal and the input is long)\n";
