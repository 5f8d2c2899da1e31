import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { encodeImage } from "../../src/index";
import { fromCritJson } from "../../src/json/to-image/from-crit";
import { CritJsonError } from "../../src/json/value";
import { corpusImages } from "../support/corpus";

const inputs = corpusImages().flatMap((image) =>
  [".json", ".pretty.json"]
    .filter((suffix) => existsSync(image.critBase + suffix))
    .map((suffix) => [`${image.scenario}/${image.path}${suffix.replace(".json", "")}`, image, suffix] as const),
);

describe("crit's JSON encodes back to the original image", () => {
  it("covers plain and pretty JSON of the whole corpus", () => {
    expect(inputs.length).toBeGreaterThan(1500);
  });

  it.each(inputs)("%s", (_, image, suffix) => {
    const text = readFileSync(image.critBase + suffix, "utf8");
    if (SHM_BUG.has(`${image.scenario}/${image.path}`)) {
      // crit 4.2 hides the following segments in the first one's "extra": refused (issue #16, J3).
      expect(() => fromCritJson(text, { fileName: image.name + suffix })).toThrow(/in_pagemaps/);
      return;
    }
    const bytes = encodeImage(fromCritJson(text, { fileName: image.name + suffix }));
    expect(Buffer.from(bytes).equals(readFileSync(image.abs))).toBe(true);
  });
});

/** Images whose crit 4.2 JSON shows one shm segment and hides the others in its "extra". */
const SHM_BUG = new Set(["ns-ipc/images/ipcns-shm-9.img", "old-v4.1-ipc/images/ipcns-shm-9.img"]);

function errorOf(text: string): CritJsonError {
  try {
    fromCritJson(text, { fileName: "in.json" });
  } catch (err) {
    if (err instanceof CritJsonError) return err;
    throw err;
  }
  throw new Error("no error");
}

describe("bad JSON gives a CritJsonError with the JSON path", () => {
  it.each([
    ['{"magic": "PSTREE", "entries": [{"pid": 1,}]}', "$.entries[0]", /a quoted key/],
    ['{"magic": "PSTREE", "entries": [', "$.entries[0]", /a JSON value/],
    ['{"magic": "NOPE", "entries": []}', "$.magic", /known image type/],
    ['{"magic": "PSTREE"}', "$.entries", /a list of entries/],
    ['{"magic": "PSTREE", "entries": [{"pid": "x"}]}', "$.entries[0].pid", /an integer/],
    ['{"magic": "PSTREE", "entries": [{"pid": 4294967296}]}', "$.entries[0].pid", /0 to 4294967295/],
    ['{"magic": "PSTREE", "entries": [{"pid": 1, "bogus": 2}]}', "$.entries[0].bogus", /a field of pstree_entry/],
    ['{"magic": "PSTREE", "entries": [{"threads": [1, "two"]}]}', "$.entries[0].threads[1]", /an integer/],
    ['{"magic": "INVENTORY", "entries": [{"lsmtype": "SMACKX"}]}', "$.entries[0].lsmtype", /NO_LSM/],
    ['{"magic": "PIPES_DATA", "entries": [{"pipe_id": 1, "bytes": 1}]}', "$.entries[0].extra", /base64/],
    ['{"magic": "PIPES_DATA", "entries": [{"pipe_id": 1, "bytes": 1, "extra": "... <1B>"}]}', "$.entries[0].extra", /--nopl/],
    ['{"magic": "PIPES_DATA", "entries": [{"pipe_id": 1, "bytes": 1, "extra": "%%%"}]}', "$.entries[0].extra", /base64/],
    ['{"magic": "FDINFO", "entries": [{"fd": true}]}', "$.entries[0].fd", /an integer/],
    ['{"magic": "PSTREE", "entries": [], "x": 1}', "$.x", /"magic" or "entries"/],
    ['{"magic": "PSTREE", "entries": [{"pid": 1, "pid": 2}]}', "$.entries[0].pid", /each key once/],
  ])("%s", (text, path, message) => {
    const err = errorOf(text);
    expect(err.path).toBe(path);
    expect(err.message).toMatch(message);
    expect(err.message).toContain("in.json");
  });

  it("does not let __proto__ keys touch any prototype", () => {
    const err = errorOf('{"magic": "PSTREE", "entries": [{"__proto__": {"polluted": 1}, "pid": 1}]}');
    expect(err.path).toBe("$.entries[0].__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const top = errorOf('{"__proto__": {"polluted": 1}, "magic": "PSTREE", "entries": []}');
    expect(top.path).toBe("$.__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("accepts empty lists for repeated fields (crit 4.2: IndexError)", () => {
    const image = fromCritJson('{"magic": "PSTREE", "entries": [{"pid": 1, "ppid": 0, "pgid": 1, "sid": 1, "threads": []}]}');
    const plain = fromCritJson('{"magic": "PSTREE", "entries": [{"pid": 1, "ppid": 0, "pgid": 1, "sid": 1}]}');
    expect(encodeImage(image)).toEqual(encodeImage(plain));
  });

  it("keeps 64-bit integers exact", () => {
    const img = fromCritJson('{"magic": "RLIMIT", "entries": [{"cur": 18446744073709551615, "max": 9007199254740993}]}');
    const entry = (img as { entries: { cur: bigint; max: bigint }[] }).entries[0]!;
    expect(entry.cur).toBe(18446744073709551615n);
    expect(entry.max).toBe(9007199254740993n);
  });
});
