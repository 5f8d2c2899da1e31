import { diff } from "../diff";
import { flag, QUIET, QUIET_HELP, stringOption, usageOf, type Command } from "../command";
import { UsageError } from "../errors";

export const diffCommand: Command = {
  name: "diff",
  help: `usage: crit diff [-h] [--files] [--sockets] [--ps-tree-cmd] [--ps-tree-env] [--memory]
                 [--show-unchanged] [--format tree|json] [-q] A B

Compare checkpoint A with checkpoint B, as checkpointctl's diff does (same layout, same JSON
keys), adding what it misses. A and B are dump directories, unpacked container checkpoints or
checkpoint archives (tar, tar.gz, tar.zst, tar.xz). Processes are matched by PID, descriptors
by PID and fd number, sockets by PID and fd, memory maps by start address. Checkpoints of two
different containers are compared too (checkpointctl refuses them). The exit status is 0
whether or not they differ (as checkpointctl's), 1 when one cannot be read, 2 on bad usage.

options:
  --files           opened, closed and changed file descriptors
  --sockets         added, removed and changed sockets (state, addresses, queued bytes)
  --ps-tree-cmd     processes with their command lines
  --ps-tree-env     environment changes by name and value (otherwise only counted)
  --memory          per process: memory maps added, removed, resized, and the pages whose
                    bytes differ (reads every page of both, a chunk at a time)
  --show-unchanged  unchanged entries too (the JSON always has them, as checkpointctl's)
  --format FMT      tree (default) or json
${QUIET_HELP}`,
  options: {
    files: { type: "boolean" },
    sockets: { type: "boolean" },
    "ps-tree-cmd": { type: "boolean" },
    "ps-tree-env": { type: "boolean" },
    memory: { type: "boolean" },
    "show-unchanged": { type: "boolean" },
    format: { type: "string" },
    ...QUIET,
  },
  positionals: { min: 2, max: 2 },
  run: async (values, [a, b]) => {
    const format = stringOption(values, "format") ?? "tree";
    if (format !== "tree" && format !== "json") throw new UsageError(`diff: --format must be tree or json, not ${JSON.stringify(format)}`, usageOf(diffCommand));
    await diff(
      a!,
      b!,
      {
        files: flag(values, "files"),
        sockets: flag(values, "sockets"),
        psTreeCmd: flag(values, "ps-tree-cmd"),
        psTreeEnv: flag(values, "ps-tree-env"),
        memory: flag(values, "memory"),
        showUnchanged: flag(values, "show-unchanged"),
      },
      format,
      flag(values, "quiet"),
    );
  },
};
