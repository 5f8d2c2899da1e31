// `npm run fuzz`: mutated corpus images and crit JSON through every codec path, the streams and
// the explorers, checked by test/support/fuzz-oracle.ts. Seeded (the seed is printed; the same
// seed and counts replay the same inputs), bounded by counts and/or seconds. Every failing input
// is saved under test/fixtures/fuzz-findings/ (or --out), where test/fuzz/findings.test.ts
// checks it from then on. Exit 1 when anything failed.
//
//   npm run fuzz -- [--seed N] [--binary N] [--json N] [--seconds S] [--slow-ms MS] [--out DIR]

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkExplorers, checkImageBytes, checkJsonText, checkStreams, type Outcome } from "../test/support/fuzz-oracle";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1] ?? "");
const num = (name: string, fallback: number) => (args.has(name) ? Number(args.get(name)) : Number(process.env[`FUZZ_${name.toUpperCase().replace("-", "_")}`] ?? fallback));
const seed = num("seed", Math.floor(Math.random() * 2 ** 31));
const binaryCount = num("binary", 1e6);
const jsonCount = num("json", 2e5);
const seconds = num("seconds", Infinity);
/** An input taking longer than this is a finding ("slow": a hang in the making). */
const slowMs = num("slow-ms", 2000);
/** Streams and explorers cost more: every this many binary inputs. */
const streamEvery = num("stream-every", 10);
const out = args.get("out") ?? join(import.meta.dirname, "..", "test", "fixtures", "fuzz-findings");
const corpusDir = join(import.meta.dirname, "..", "test", "fixtures", "corpus");
const MAX_SEED_SIZE = 64 << 10;

console.log(`fuzz: seed ${seed} (replay: npm run fuzz -- --seed ${seed} --binary ${binaryCount} --json ${jsonCount})`);

/** mulberry32: small, fast, and the same everywhere. */
function rng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Seed {
  name: string;
  bytes: Uint8Array;
}

function corpus(): { images: Seed[]; json: Seed[]; pstrees: string[] } {
  const images: Seed[] = [];
  const json: Seed[] = [];
  const pstrees: string[] = [];
  for (const scenario of readdirSync(corpusDir).sort()) {
    for (const [dir, into, test] of [["images", images, (n: string) => n.endsWith(".img")], ["crit", json, (n: string) => /\.img(\.pretty)?\.json$/.test(n)]] as const) {
      const abs = join(corpusDir, scenario, dir);
      if (!existsSync(abs)) continue;
      for (const name of readdirSync(abs).sort()) {
        const path = join(abs, name);
        if (!test(name) || !statSync(path).isFile() || statSync(path).size > MAX_SEED_SIZE || name.startsWith("pages-")) continue;
        into.push({ name: dir === "crit" ? name.replace(/(\.pretty)?\.json$/, "") : name, bytes: new Uint8Array(readFileSync(path)) });
      }
    }
    if (existsSync(join(corpusDir, scenario, "images", "pstree.img"))) pstrees.push(join(corpusDir, scenario, "images"));
  }
  return { images, json, pstrees };
}

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0xfe];
const JSON_TOKENS = ["0", "-1", "4294967295", "18446744073709551616", "1e999", '""', "null", "[]", "{}", '"@unknown"', '"extra"', "true", '"0x"', ",", ":", "{", "}", "[", "]", '"'];

/** One mutation of `bytes` (several, stacked, now and then). */
function mutate(bytes: Uint8Array, r: () => number, text: boolean): Uint8Array {
  let b = Array.from(bytes);
  const steps = 1 + Math.floor(r() * r() * 4);
  for (let s = 0; s < steps; s++) {
    const at = Math.floor(r() * (b.length + 1));
    const len = 1 + Math.floor(r() * r() * 16);
    switch (Math.floor(r() * (text ? 8 : 7))) {
      case 0: // flip a bit
        if (b.length) b[at % b.length]! ^= 1 << Math.floor(r() * 8);
        break;
      case 1: // an interesting byte
        if (b.length) b[at % b.length] = INTERESTING[Math.floor(r() * INTERESTING.length)]!;
        break;
      case 2: // delete a run
        b.splice(at, len);
        break;
      case 3: // insert random bytes
        b.splice(at, 0, ...Array.from({ length: len }, () => Math.floor(r() * 256)));
        break;
      case 4: // duplicate a run
        b.splice(at, 0, ...b.slice(at, at + len));
        break;
      case 5: // truncate
        b = b.slice(0, at);
        break;
      case 6: // a random byte
        if (b.length) b[at % b.length] = Math.floor(r() * 256);
        break;
      case 7: {
        // a JSON token in place of another
        const token = JSON_TOKENS[Math.floor(r() * JSON_TOKENS.length)]!;
        b.splice(at, Math.floor(r() * 4), ...Array.from(token, (c) => c.charCodeAt(0)));
        break;
      }
    }
  }
  return new Uint8Array(b);
}

const totals = { binary: 0, json: 0, streamed: 0, explored: 0, accepted: 0, rejected: 0, canonicalized: 0, failed: 0, untyped: 0, slow: 0, maxMs: 0 };
const start = Date.now();
/** With --seconds, the binary inputs get 70% of the time, the JSON ones the rest. */
let phaseEnd = seconds * 0.7;
const timeLeft = () => (Date.now() - start) / 1000 < phaseEnd;

function save(kind: string, index: number, name: string, bytes: Uint8Array, problems: string[]): void {
  mkdirSync(out, { recursive: true });
  const file = `fuzz-${seed}-${kind}${index}.${name}${kind === "json" ? ".json" : ""}`;
  writeFileSync(join(out, file), bytes);
  totals.failed++;
  if (problems.some((p) => p.includes("untyped"))) totals.untyped++;
  console.log(`FAIL ${file}:\n  ${problems.join("\n  ")}`);
}

function timed<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const value = fn();
  return [value, performance.now() - t];
}

function tally(o: Outcome, ms: number): string[] {
  totals.maxMs = Math.max(totals.maxMs, ms);
  if (o.accepted) totals.accepted++;
  else totals.rejected++;
  if (o.canonicalized) totals.canonicalized++;
  if (ms > slowMs) {
    totals.slow++;
    return [...o.problems, `slow: ${Math.round(ms)} ms`];
  }
  return o.problems;
}

async function main(): Promise<void> {
  const { images, json, pstrees } = corpus();
  console.log(`fuzz: ${images.length} images and ${json.length} JSON documents from test/fixtures/corpus`);
  for (let i = 0; i < binaryCount && timeLeft(); i++) {
    const r = rng(seed ^ Math.imul(i + 1, 0x9e3779b1));
    const base = images[Math.floor(r() * images.length)]!;
    const bytes = mutate(base.bytes, r, false);
    const [outcome, ms] = timed(() => checkImageBytes(bytes, base.name));
    const problems = tally(outcome, ms);
    totals.binary++;
    if (i % streamEvery === 0) {
      problems.push(...(await checkStreams(bytes, base.name)));
      totals.streamed++;
      if (base.name === "pstree.img" || base.name.startsWith("core-")) {
        const dir = pstrees[Math.floor(r() * pstrees.length)]!;
        const files: Record<string, Uint8Array> = {};
        for (const f of readdirSync(dir)) if (f.endsWith(".img") && !f.startsWith("pages-")) files[f] = new Uint8Array(readFileSync(join(dir, f)));
        files[base.name === "pstree.img" ? "pstree.img" : Object.keys(files).find((f) => f.startsWith("core-")) ?? base.name] = bytes;
        problems.push(...checkExplorers(files));
        totals.explored++;
      }
    }
    if (problems.length) save("bin", i, base.name, bytes, problems);
    if (i % 20000 === 0 && i > 0) progress();
  }
  phaseEnd = seconds;
  for (let i = 0; i < jsonCount && timeLeft(); i++) {
    const r = rng(~seed ^ Math.imul(i + 1, 0x85ebca6b));
    const base = json[Math.floor(r() * json.length)]!;
    const bytes = mutate(base.bytes, r, true);
    const [outcome, ms] = timed(() => checkJsonText(new TextDecoder().decode(bytes), base.name));
    const problems = tally(outcome, ms);
    totals.json++;
    if (problems.length) save("json", i, base.name, bytes, problems);
    if (i % 20000 === 0 && i > 0) progress();
  }
  progress();
  console.log(`fuzz: seed ${seed}: ${totals.failed === 0 ? "no finding" : `${totals.failed} findings saved in ${out}`}`);
  process.exitCode = totals.failed === 0 ? 0 : 1;
}

function progress(): void {
  const s = ((Date.now() - start) / 1000).toFixed(0);
  console.log(
    `fuzz: ${s} s: ${totals.binary} binary (${totals.streamed} also streamed, ${totals.explored} through the explorers), ${totals.json} JSON; ` +
      `accepted ${totals.accepted}, refused with a typed error ${totals.rejected}, canonicalized through JSON ${totals.canonicalized}; ` +
      `findings ${totals.failed} (untyped exceptions ${totals.untyped}, slow ${totals.slow}); slowest input ${Math.round(totals.maxMs)} ms`,
  );
}

await main();
