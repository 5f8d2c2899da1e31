export const VERSION = "4.2";

export const USAGE = `usage: crit {decode,encode,info,x,show,inspect,memparse,explore} ...

CRiu Image Tool: read and write CRIU image files (compatible with CRIU 4.2's crit)

commands:
  decode   convert a CRIU image to JSON
  encode   convert JSON back to a CRIU image
  info     show the image type and the number of entries
  x        explore a dump (ps, fds, mems, rss, sk)
  show     convert a CRIU image to pretty JSON (decode --pretty)
  inspect  what a checkpoint holds: processes, files, sockets, mounts (checkpointctl's inspect)
  memparse process memory of a dump: sizes, a hexdump, or a search
  explore  open a dump in the web explorer (served on 127.0.0.1)

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
  explore: `usage: crit explore [-h] [--port PORT] [DUMP]

Serve the checkpoint explorer on 127.0.0.1 and print its URL. With DUMP (a dump directory or a
checkpoint archive), the page opens it; without, pick a folder or an archive in the page. Nothing
leaves this machine.

options:
  --port PORT  the port to listen on (default: a free one)
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
  memparse: `usage: crit memparse [-h] DUMP [-p PID] [-s TEXT | -r REGEX | --search-hex HEX] [-c N] [--format text|json]

Process memory of a dump directory (following its pre-dump parents):
  without options       each task's memory size (checkpointctl's table)
  -p PID                a hexdump of the task's memory (rows equal to the one before shown as *)
  -s, --search TEXT     every occurrence of TEXT (as UTF-8) in every task's (or PID's) raw memory
  -r, --search-regex R  matches of a JavaScript regular expression over the bytes as Latin-1
                        (matches up to 4096 bytes long are found across page and chunk boundaries)
  --search-hex HEX      every occurrence of the bytes HEX (e.g. "6e 65 65 64")

options:
  -c, --context N       bytes of context shown before and after each match (default 0)
  --format text|json    output format (default text)
`,
};
