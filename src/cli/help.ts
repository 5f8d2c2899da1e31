export const VERSION = "4.2";

export const USAGE = `usage: crit {decode,encode,info,x,show,memparse} ...

CRiu Image Tool: read and write CRIU image files (compatible with CRIU 4.2's crit)

commands:
  decode   convert a CRIU image to JSON
  encode   convert JSON back to a CRIU image
  info     show the image type and the number of entries
  x        explore an image directory (ps, fds, mems, rss)
  show     convert a CRIU image to pretty JSON (decode --pretty)
  memparse process memory of a dump: sizes, a hexdump, or a search

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
  x: `usage: crit x [-h] DIR {ps,fds,mems,rss}

Explore an image directory:
  ps    the process tree
  fds   each process's open files
  mems  each process's memory mappings
  rss   each process's resident pages against its mappings
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
