import { inspect } from "../inspect";
import { flag, QUIET, QUIET_HELP, stringOption, usageOf, type Command } from "../command";
import { UsageError } from "../errors";

export const inspectCommand: Command = {
  name: "inspect",
  help: `usage: crit inspect [-h] [--ps-tree] [--ps-tree-cmd] [--ps-tree-env] [--files] [--sockets]
                    [--mounts] [--stats] [--metadata] [--all] [-p PID] [--format tree|json] [-q] DUMP...

Show what a checkpoint holds, as checkpointctl's inspect does (same tree, same JSON keys). DUMP is
a dump directory, an unpacked container checkpoint (images under checkpoint/), or a checkpoint
archive (tar, tar.gz, tar.zst, tar.xz).

options:
  --ps-tree      the process tree
  --ps-tree-cmd  the tree with each process's command line (read from its memory)
  --ps-tree-env  the tree with each process's environment (memory order)
  --files        each process's open files
  --sockets      each process's sockets, with queued bytes and peers
  --mounts       the mounts (spec.dump, and the mount namespaces of the images)
  --stats        CRIU's dump statistics
  --metadata     the engine's annotations, pod name and namespace
  --all          all of the above
  -p, --pid PID  show the tree from this process down
  --format FMT   tree (default) or json
${QUIET_HELP}`,
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
    ...QUIET,
  },
  positionals: { min: 1, max: Infinity },
  run: async (values, paths) => {
    const pidText = stringOption(values, "pid");
    const pid = pidText === undefined ? undefined : Number(pidText);
    if (pid !== undefined && !(Number.isSafeInteger(pid) && pid > 0)) throw new UsageError(`inspect: --pid wants a process id, not ${JSON.stringify(pidText)}`, usageOf(inspectCommand));
    const format = stringOption(values, "format") ?? "tree";
    if (format !== "tree" && format !== "json") throw new UsageError(`inspect: --format must be tree or json, not ${JSON.stringify(format)}`, usageOf(inspectCommand));
    await inspect(
      paths,
      {
        psTree: flag(values, "ps-tree"),
        psTreeCmd: flag(values, "ps-tree-cmd"),
        psTreeEnv: flag(values, "ps-tree-env"),
        files: flag(values, "files"),
        sockets: flag(values, "sockets"),
        mounts: flag(values, "mounts"),
        stats: flag(values, "stats"),
        metadata: flag(values, "metadata"),
        all: flag(values, "all"),
        ...(pid === undefined ? {} : { pid }),
      },
      format,
      flag(values, "quiet"),
    );
  },
};
