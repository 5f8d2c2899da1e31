// The least a JavaScript encoder of crit's JSON does, with none of the encoding: the JSON file
// read whole (the cheapest way to have its bytes), one pass over every byte that copies those
// that are not whitespace into a buffer a quarter of the JSON's size (standing in for the image's
// bytes, which are a tenth to a third of it; wrapping around when full), that buffer written out.
// The encode case times it in its process (floorFile). Bundled alone (bench/out/one-pass-floor.mjs,
// `node one-pass-floor.mjs JSON OUT`), it is a whole command: what no Node program that looks at
// each byte of its input once can beat, start-up included, against go-criu's whole `crit encode`.

import { readFileSync, writeFileSync } from "node:fs";

export function floorFile(json: string, out: string): void {
  const s = readFileSync(json);
  const o = new Uint8Array(Math.max(16, s.length >> 2));
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c > 0x20) {
      o[k++] = c;
      if (k === o.length) k = 0;
    }
  }
  writeFileSync(out, o);
}

const [json, out] = process.argv.slice(2);
if (process.argv[1]?.endsWith("one-pass-floor.mjs") && json && out) floorFile(json, out);
