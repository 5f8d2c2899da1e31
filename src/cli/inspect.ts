// `crit inspect DUMP`: checkpointctl's inspect over a dump directory or an engine's checkpoint.

import { parseArgs } from "node:util";
import { openCheckpoint } from "../checkpoint/model/open";
import { inspectCheckpoint, type InspectOptions } from "../checkpoint/views/inspect";
import { renderInspectTree } from "../checkpoint/views/inspect-tree";
import { openDumpSource } from "./dump-source";
import { writeOutput } from "./io";

export async function inspect(paths: readonly string[], options: InspectOptions, format: string): Promise<void> {
  if (format !== "tree" && format !== "json") throw new Error(`inspect: unknown format ${JSON.stringify(format)}: expected tree or json`);
  const texts: string[] = [];
  const nodes: unknown[] = [];
  for (const path of paths) {
    const source = await openDumpSource(path);
    try {
      const cp = await openCheckpoint(source);
      const data = inspectCheckpoint(cp, options);
      if (format === "json") nodes.push(data);
      else texts.push(renderInspectTree(cp, data, options));
    } finally {
      await source.close();
    }
  }
  await writeOutput(undefined, format === "json" ? `${JSON.stringify(nodes, null, 2)}\n` : texts.join(""));
}

/** Parses inspect's arguments (checkpointctl's flags) and runs it; returns the exit code. */
export async function inspectCommand(args: string[], help: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      "ps-tree": { type: "boolean" },
      "ps-tree-cmd": { type: "boolean" },
      "ps-tree-env": { type: "boolean" },
      files: { type: "boolean" },
      sockets: { type: "boolean" },
      mounts: { type: "boolean" },
      stats: { type: "boolean" },
      metadata: { type: "boolean" },
      all: { type: "boolean" },
      pid: { type: "string", short: "p" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  if (positionals.length === 0) throw new Error(`inspect: a DUMP is needed\n${help}`);
  const pid = values.pid === undefined ? undefined : Number(values.pid);
  if (pid !== undefined && !(Number.isSafeInteger(pid) && pid > 0)) throw new Error(`inspect: --pid wants a process id, not ${JSON.stringify(values.pid)}`);
  const options: InspectOptions = {
    psTree: values["ps-tree"],
    psTreeCmd: values["ps-tree-cmd"],
    psTreeEnv: values["ps-tree-env"],
    files: values.files,
    sockets: values.sockets,
    mounts: values.mounts,
    stats: values.stats,
    metadata: values.metadata,
    all: values.all,
    ...(pid === undefined ? {} : { pid }),
  };
  await inspect(positionals, options, values.format ?? "tree");
  return 0;
}
