import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeImage, imageInfo, isRawImage } from "../../src/index";
import { stringifyJson } from "../../src/json/from-image/stringify";
import { corpusImages, readBytes } from "../support/corpus";

const decodable = corpusImages().flatMap((image) => {
  const decoded = decodeImage(readBytes(image.abs), { fileName: image.name });
  return isRawImage(decoded) ? [] : [{ image, decoded }];
});

/** crit 4.2 counts payload bytes as records (and crashes on ghost files); we count entries. */
const PAYLOAD_MAGICS = new Set(["SK_QUEUES", "TCP_STREAM", "BPFMAP_DATA", "PIPES_DATA", "FIFO_DATA", "IPCNS_SEM", "IPCNS_MSG", "IPCNS_SHM", "GHOST_FILE"]);

describe("crit info", () => {
  const plain = decodable.filter(({ decoded }) => !PAYLOAD_MAGICS.has(decoded.magic as string));
  it.each(plain.map((d) => [`${d.image.scenario}/${d.image.path}`, d] as const))("matches crit 4.2 for %s", (_, { image, decoded }) => {
    const expected = readFileSync(`${image.critBase}.info.json`, "utf8");
    expect(`${stringifyJson({ ...imageInfo(decoded) }, true)}\n`).toBe(expected);
  });

  const payload = decodable.filter(({ decoded }) => PAYLOAD_MAGICS.has(decoded.magic as string));
  it.each(payload.map((d) => [`${d.image.scenario}/${d.image.path}`, d] as const))(
    "counts entries, not payload records, for %s (crit 4.2 miscounts or crashes)",
    (_, { image, decoded }) => {
      const info = imageInfo(decoded);
      expect(info.count).toBe((decoded.entries as unknown[]).length);
      const critFile = `${image.critBase}.info.json`;
      if (existsSync(critFile)) {
        // crit reads payload bytes as length words, so its count is whatever that walk gives.
        const crit = JSON.parse(readFileSync(critFile, "utf8")) as { magic: string; count: number };
        expect(crit.magic).toBe(info.magic);
      } else {
        expect(readFileSync(`${image.critBase}.err`, "utf8")).toMatch(/has no attribute 'count'/);
      }
    },
  );
});
