export const VERSION = "4.2";

export const USAGE = `usage: crit {decode,encode,info,x,show,criu} ...

CRiu Image Tool: read and write CRIU image files (compatible with CRIU 4.2's crit)

commands:
  decode   convert a CRIU image to JSON
  encode   convert JSON back to a CRIU image
  info     show the image type and the number of entries
  x        explore an image directory (ps, fds, mems, rss)
  show     convert a CRIU image to pretty JSON (decode --pretty)
  criu     ask a real CRIU over its RPC socket (version, check)

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
  criu: `usage: crit criu [-h] [--binary PATH | --socket PATH] [--timeout-ms MS] {version,check}

Ask a real CRIU over RPC (a smoke test of @criu/images/node's CRIU client):
  version  CRIU's version, as \`criu --version\` prints it
  check    CRIU's kernel check ("Looks good." when it passes; needs root)

options:
  --binary PATH    start PATH as \`criu swrk\` (default: $CRIU_BINARY, else criu from PATH)
  --socket PATH    talk to a running \`criu service\` on PATH instead
  --timeout-ms MS  give up after MS milliseconds (default 60000)
`,
};
