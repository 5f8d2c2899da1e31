import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeImage, isRawImage, type AnyImage } from "../../src/index";
import { toCritJson } from "../../src/json/to-crit";
import { parseJson } from "../../src/json/parse";
import { corpusImages, readBytes, type CorpusImage } from "../support/corpus";

/** Images where crit 4.2 is wrong on purpose-tested grounds, with the reason. */
const CRIT_BUGS: Record<string, string> = {
  "ns-ipc/images/ipcns-shm-9.img": "crit reads `size` bytes after in_pagemaps segments (there are none)",
  "old-v4.1-ipc/images/ipcns-shm-9.img": "crit reads `size` bytes after in_pagemaps segments (there are none)",
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
    .filter(({ image }) => existsSync(image.critBase + suffix) && !CRIT_BUGS[`${image.scenario}/${image.path}`])
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
  it.each(Object.entries(CRIT_BUGS))("%s: %s", (path) => {
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
});
