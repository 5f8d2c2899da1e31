export const VERSION = "4.2";

export const USAGE = `usage: crit {decode,encode,info,x,show,inspect} ...

CRiu Image Tool: read and write CRIU image files (compatible with CRIU 4.2's crit)

commands:
  decode   convert a CRIU image to JSON
  encode   convert JSON back to a CRIU image
  info     show the image type and the number of entries
  x        explore a dump (ps, fds, mems, rss, sk)
  show     convert a CRIU image to pretty JSON (decode --pretty)
  inspect  what a checkpoint holds: processes, files, sockets, mounts (checkpointctl's inspect)

Run "crit COMMAND --help" for a command's options.
`;

export const HELP: Record<string, string> = {
  decode: `usage: crit decode [-h] [-i IN] [-o OUT] [--pretty]

Convert a CRIU image to crit's JSON.

options:
  -i, --in IN    the image file (default: standard input)
  -o, --out OUT  where to write the JSON (default: standard output)
  --pretty       indent, and print hex, flags, devices and addresses as crit does
`,
  encode: `usage: crit encode [-h] [-i IN] [-o OUT]

Convert crit's JSON (plain or pretty) back to a CRIU image.

options:
  -i, --in IN    the JSON file (default: standard input)
  -o, --out OUT  where to write the image (default: standard output)
`,
  info: `usage: crit info [-h] IN

Print the image type and its number of entries as JSON.
`,
  show: `usage: crit show [-h] [--nopl] IN

Convert a CRIU image to pretty JSON on standard output.

options:
  --nopl  replace payloads (pipe data, socket queues, ...) by their size
`,
  x: `usage: crit x [-h] DUMP {ps,fds,mems,rss,sk}

Explore a dump directory (or an unpacked container checkpoint, images under checkpoint/):
  ps    the process tree
  fds   each process's open files
  mems  each process's memory mappings
  rss   each process's resident pages against its mappings
  sk    each process's sockets, as go-criu's crit prints them (JSON)
`,
  inspect: `usage: crit inspect [-h] [--ps-tree] [--ps-tree-cmd] [--ps-tree-env] [--files] [--sockets]
                    [--mounts] [--stats] [--metadata] [--all] [-p PID] [--format tree|json] DUMP...

Show what a checkpoint holds, as checkpointctl's inspect does (same tree, same JSON keys). DUMP is
a dump directory or an unpacked container checkpoint (images under checkpoint/).

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
`,
};
