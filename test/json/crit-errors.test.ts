import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeImage, ImageError, isRawImage, rawMagicForFile } from "../../src/index";
import { toCritJson } from "../../src/json/from-image/to-crit";
import { corpusDir, corpusImages, readBytes, scenarios } from "../support/corpus";

// Every file crit 4.2 failed on (crit/F.err) has its reason here, and our own behaviour.

const decodeErrors = corpusImages().filter((i) => existsSync(`${i.critBase}.err`) && /crit decode/.test(readFileSync(`${i.critBase}.err`, "utf8")));

describe("files crit 4.2 could not decode", () => {
  it("are all raw images: no magic, so crit misreads their first bytes", () => {
    expect(decodeErrors.length).toBeGreaterThan(100);
    for (const image of decodeErrors) expect(rawMagicForFile(image.name), image.path).toBeDefined();
  });

  it.each(decodeErrors.map((i) => [`${i.scenario}/${i.path}`, i] as const))("%s is recognised as raw by name, and kept", (_, image) => {
    const err = readFileSync(`${image.critBase}.err`, "utf8");
    expect(err).toMatch(/Unknown magic|unpack requires a buffer of 4 bytes/);
    const bytes = readBytes(image.abs);
    const decoded = decodeImage(bytes, { fileName: image.name });
    expect(isRawImage(decoded) && decoded.magic).toBe(rawMagicForFile(image.name));
    // There are no entries to print: a typed error saying so, not a misread magic.
    expect(() => toCritJson(decoded)).toThrow(ImageError);
  });

  it("refuses Podman's descriptors.json, which is not an image, as crit does", () => {
    const file = `${corpusDir}podman-busybox/images/descriptors.json`;
    expect(readFileSync(`${corpusDir}podman-busybox/crit/descriptors.json.err`, "utf8")).toMatch(/Unknown magic 0x642f225b/);
    expect(() => decodeImage(readBytes(file), { fileName: "descriptors.json" })).toThrow(/bad-magic: expected .*0x642f225b/);
  });

  it("accounts for every .err file of the corpus", () => {
    const all = scenarios().flatMap((s) =>
      ["crit", "predump/crit"].flatMap((d) => (existsSync(`${corpusDir}${s}/${d}`) ? readdirSync(`${corpusDir}${s}/${d}`).filter((f) => f.endsWith(".err")).map((f) => `${s}/${d}/${f}`) : [])),
    );
    const explained = all.filter((f) => {
      const text = readFileSync(corpusDir + f, "utf8");
      return (
        /crit decode/.test(text) || // raw images, above
        /has no attribute 'count'/.test(text) || // info on ghost files: test/cli/info.test.ts
        /AttributeError: bytes/.test(text) || // show --nopl on bpfmap-data: test/cli/crit.test.ts
        /\/x-(ps|fds|mems|rss)\.err$/.test(f) // explorers: test/checkpoint/explore.test.ts
      );
    });
    expect(all.filter((f) => !explained.includes(f))).toEqual([]);
  });
});

describe("show --nopl on bpfmap-data (crit 4.2: AttributeError)", () => {
  it("prints the payload size", () => {
    const image = decodeImage(readBytes(`${corpusDir}proc-bpf/images/bpfmap-data.img`), { fileName: "bpfmap-data.img" });
    const text = toCritJson(image, { pretty: true, noPayload: true });
    expect(text).toMatch(/"extra": "\.\.\. <\d+B>"/);
    // Everything else is crit's pretty output.
    const pretty = readFileSync(`${corpusDir}proc-bpf/crit/bpfmap-data.img.pretty.json`, "utf8");
    expect(text.replace(/"extra": "[^"]*"/g, "")).toBe(pretty.replace(/"extra": "[^"]*"/g, ""));
  });
});
