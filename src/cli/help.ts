export const VERSION = "4.2";

export const USAGE = `usage: crit {decode,encode,info,x,show,explore} ...

CRiu Image Tool: read and write CRIU image files (compatible with CRIU 4.2's crit)

commands:
  decode   convert a CRIU image to JSON
  encode   convert JSON back to a CRIU image
  info     show the image type and the number of entries
  x        explore an image directory (ps, fds, mems, rss)
  show     convert a CRIU image to pretty JSON (decode --pretty)
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
  x: `usage: crit x [-h] DIR {ps,fds,mems,rss}

Explore an image directory:
  ps    the process tree
  fds   each process's open files
  mems  each process's memory mappings
  rss   each process's resident pages against its mappings
`,
  explore: `usage: crit explore [-h] [--port PORT] [DUMP]

Serve the checkpoint explorer on 127.0.0.1 and print its URL. With DUMP (a dump directory), the
page opens it; without, pick a dump folder in the page. Nothing leaves this machine.

options:
  --port PORT  the port to listen on (default: a free one)
`,
};
