import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeImage, isRawImage, type AnyImage } from "../../src/index";
import { toCritJson } from "../../src/json/from-image/to-crit";
import { parseJson } from "../../src/json/to-image/parse";
import { corpusImages, readBytes, type CorpusImage } from "../support/corpus";

const SHM_BUG = "crit reads `size` bytes after in_pagemaps segments (there are none)";
const DEAD_TASK = "crit 4.2 has no label for task state 2 (dead) and swaps 3 and 6; ours are compel's";

/** Where crit 4.2 is wrong, ours differs on purpose: image → (output → reason). */
const CRIT_BUGS: Record<string, Record<string, string>> = {
  "ns-ipc/images/ipcns-shm-9.img": { ".json": SHM_BUG, ".pretty.json": SHM_BUG, ".nopl.json": SHM_BUG },
  "old-v4.1-ipc/images/ipcns-shm-9.img": { ".json": SHM_BUG, ".pretty.json": SHM_BUG, ".nopl.json": SHM_BUG },
  "proc-tree/images/core-26974.img": { ".pretty.json": DEAD_TASK },
  "proc-tree/images/core-26975.img": { ".pretty.json": DEAD_TASK },
  "proc-tree/images/core-26981.img": { ".pretty.json": DEAD_TASK },
};

const MODES = [
  { suffix: ".json", options: {}, trailingNewline: false },
  { suffix: ".pretty.json", options: { pretty: true }, trailingNewline: false },
  { suffix: ".nopl.json", options: { pretty: true, noPayload: true }, trailingNewline: true },
] as const;

const decodable = corpusImages().flatMap((image) => {
  const decoded = decodeImage(readBytes(image.abs), { fileName: image.name });
  return isRawImage(decoded) ? [] : [{ image, decoded }];
});

function cases(suffix: string): [string, CorpusImage, AnyImage][] {
  return decodable
    .filter(({ image }) => existsSync(image.critBase + suffix) && !CRIT_BUGS[`${image.scenario}/${image.path}`]?.[suffix])
    .map(({ image, decoded }) => [`${image.scenario}/${image.path}`, image, decoded]);
}

describe.each(MODES)("crit 4.2's $suffix output", ({ suffix, options, trailingNewline }) => {
  const all = cases(suffix);

  it("exists for the corpus", () => {
    expect(all.length).toBeGreaterThan(suffix === ".nopl.json" ? 50 : 700);
  });

  it.each(all)("equals ours byte for byte: %s", (_, image, decoded) => {
    const expected = readFileSync(image.critBase + suffix, "utf8");
    const ours = toCritJson(decoded, options) + (trailingNewline ? "\n" : "");
    if (ours !== expected) {
      // Field by field first, for a readable failure; then the bytes.
      expect(parseJson(ours)).toEqual(parseJson(expected));
    }
    expect(ours).toBe(expected);
  });
});

describe("where crit 4.2 is wrong, we differ on purpose", () => {
  const shm = Object.keys(CRIT_BUGS).filter((p) => p.includes("ipcns-shm"));
  it.each(shm)(`%s: ${SHM_BUG}`, (path) => {
    const item = decodable.find(({ image }) => `${image.scenario}/${image.path}` === path)!;
    const crit = parseJson(readFileSync(item.image.critBase + ".json", "utf8")) as { entries: { extra?: string }[] };
    const ours = parseJson(toCritJson(item.decoded)) as { entries: { in_pagemaps: boolean; extra?: string }[] };
    // crit swallows the following segments into the first one's "extra"...
    expect(crit.entries).toHaveLength(1);
    expect(crit.entries[0]!.extra).not.toBe("");
    // ...while every segment is there in ours, with no payload since it lives in a pagemap.
    expect(ours.entries.length).toBeGreaterThan(1);
    for (const e of ours.entries) {
      expect(e.in_pagemaps).toBe(true);
      expect(e.extra).toBeUndefined();
    }
  });

  const dead = Object.keys(CRIT_BUGS).filter((p) => p.includes("core-"));
  it.each(dead)(`%s: ${DEAD_TASK}`, (path) => {
    const item = decodable.find(({ image }) => `${image.scenario}/${image.path}` === path)!;
    const expected = readFileSync(item.image.critBase + ".pretty.json", "utf8");
    expect(expected).toContain('"task_state": 2,');
    const ours = toCritJson(item.decoded, { pretty: true });
    expect(ours).toContain('"task_state": "Dead",');
    expect(ours.replace('"task_state": "Dead",', '"task_state": 2,')).toBe(expected);
  });
});
