#!/usr/bin/env node
import { parseArgs } from "node:util";

const USAGE = `usage: criu-compat [options] OLD NEW
       criu-compat --replay DIR OLD NEW
       criu-compat --release-matrix
       criu-compat --list-rules

Compares two revisions of a protobuf schema, per reader (protobuf-c, upb, protobuf-es) and per
direction. OLD and NEW are each one of:
  criu:v4.2          a CRIU release shipped with this package (v2.7 to v4.2)
  DIR                a directory of .proto files (compiled with buf)
  FILE.binpb|.json   a descriptor set or Buf image
  PATH@REF           a directory as of a git revision, e.g. proto@HEAD~1

options:
  --format text|json|github   output: for people (default), NDJSON like buf's, GitHub annotations
  --ignore RULE|PATH|RULE=PATH leave findings out (repeatable; PATH is an element or file prefix)
  --all                       also print compatible changes
  --readers R,R               the readers that matter (default protobuf-c,upb,protobuf-es): others
                              count as unaffected
  --directions D,D            backward (new reader, old data) and/or forward (default both)
  --crit-json                 word JSON findings for crit's JSON (the default on CRIU's schema)
  --replay DIR                decode every image of a CRIU dump directory under OLD and under NEW
                              and print what differs (crit's JSON keys and values, errors)
  --release-matrix            print every consecutive pair of shipped CRIU releases as markdown
  --list-rules                print the rules: id, categories, purpose

Severities: breaking (a reader errs, misreads or loses a value), json (only a JSON form),
reencode (only a protobuf-es decode/encode round trip drops a value), info (compatible).
Exit status: 100 when a change breaks a reader or a JSON form (--replay: when a decoded image
differs), 0 when not, 1 on errors.
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: "string", default: "text" },
      ignore: { type: "string", multiple: true },
      all: { type: "boolean" },
      readers: { type: "string" },
      directions: { type: "string" },
      "crit-json": { type: "boolean" },
      "release-matrix": { type: "boolean" },
      replay: { type: "string" },
      "list-rules": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return print(USAGE);
  // The checker (CRIU's schema history, the rules, buf) is loaded only for real work: --help is instant.
  const [{ breaks, checkCompat, formatGithub, formatJson, formatText, loadDescriptorSet, parseIgnore, READERS, releaseMatrixMarkdown, RULES, selectFindings }, { isDirection, isReader }, { formatReplay, replayDirectory }] =
    await Promise.all([import("../compat/index"), import("../compat/select"), import("../compat/replay")]);
  const ignore = (values.ignore ?? []).map(parseIgnore);
  if (values["release-matrix"]) return print(releaseMatrixMarkdown({ ignore }));
  if (values["list-rules"]) return print(RULES.map((r) => `${r.id}\t${r.categories.join(",")}\t${r.purpose}\n`).join(""));
  if (positionals.length !== 2) return fail(USAGE);
  if (values.replay !== undefined) {
    const report = replayDirectory(values.replay, loadDescriptorSet(positionals[0]!), loadDescriptorSet(positionals[1]!));
    process.stdout.write(formatReplay(report, positionals[0]!, positionals[1]!));
    return report.differences.length ? 100 : 0;
  }
  const printer = { text: formatText, json: formatJson, github: formatGithub }[values.format ?? "text"];
  if (!printer) return fail(`unknown --format ${JSON.stringify(values.format)}; use text, json or github`);
  const readers = values.readers?.split(",").map((r) => r.trim()) ?? [...READERS];
  const badReader = readers.find((r) => !isReader(r));
  if (badReader !== undefined) return fail(`unknown reader ${JSON.stringify(badReader)} in --readers; known: ${READERS.join(", ")}`);
  const directions = values.directions?.split(",").map((d) => d.trim()) ?? ["backward", "forward"];
  const badDirection = directions.find((d) => !isDirection(d));
  if (badDirection !== undefined) return fail(`unknown direction ${JSON.stringify(badDirection)} in --directions; known: backward, forward`);
  const all = checkCompat(positionals[0]!, positionals[1]!, { ignore, ...(values["crit-json"] ? { critJson: true } : {}) });
  const findings = selectFindings(all, { readers: readers.filter(isReader), directions: directions.filter(isDirection) });
  process.stdout.write(printer(findings, { all: values.all ?? false }));
  return breaks(findings) ? 100 : 0;
}

function print(text: string): number {
  process.stdout.write(text);
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`criu-compat: ${message.trimEnd()}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = fail(err instanceof Error ? err.message : String(err));
  },
);
