// The floor of a `crit info` in Node: read an image, decode its one message with protobuf-es,
// print the answer; nothing else (no argument parsing, no checks, no registry). Built like
// dist/crit.cjs (one minified CommonJS file) and timed beside it by startup.ts.
import { readFileSync } from "node:fs";
import { fromBinary } from "@bufbuild/protobuf";
import { pstree_entrySchema } from "../../src/gen/pstree_pb";

const bytes = readFileSync(process.argv[2]!);
const size = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
fromBinary(pstree_entrySchema, bytes.subarray(12, 12 + size));
process.stdout.write(`${JSON.stringify({ magic: "PSTREE", count: 1 }, null, 4)}\n`);
