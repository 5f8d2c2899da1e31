// `crit inspect DUMP`: checkpointctl's inspect over a dump directory or an engine's checkpoint.

import { inspectCheckpoint, type InspectOptions } from "../checkpoint/views/inspect";
import { renderInspectTree } from "../checkpoint/views/inspect-tree";
import { openDumpModel } from "./dump-source";
import { writeOutput } from "./output";

export async function inspect(paths: readonly string[], options: InspectOptions, format: string, quiet = false): Promise<void> {
  if (format !== "tree" && format !== "json") throw new Error(`inspect: unknown format ${JSON.stringify(format)}: expected tree or json`);
  const texts: string[] = [];
  const nodes: unknown[] = [];
  for (const path of paths) {
    const { checkpoint: cp, close } = await openDumpModel(path, { quiet });
    try {
      const data = inspectCheckpoint(cp, options);
      if (format === "json") nodes.push(data);
      else texts.push(renderInspectTree(cp, data, options));
    } finally {
      await close();
    }
  }
  await writeOutput(undefined, format === "json" ? `${JSON.stringify(nodes, null, 2)}\n` : texts.join(""));
}
