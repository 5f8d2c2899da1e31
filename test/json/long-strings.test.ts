// Documents with huge strings where short ones belong (issue #16): errors quote at most
// QUOTE_LIMIT characters of them, on both JSON → image paths.

import { describe, expect, it } from "vitest";
import { critJsonToImageBytes, CritJsonError, encodeImage, fromCritJson } from "../../src/index";
import { QUOTE_LIMIT } from "../../src/json/value";

const long = "x".repeat(2_000_000);

function error(fn: () => unknown): CritJsonError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CritJsonError) return err;
    throw err;
  }
  throw new Error("expected a CritJsonError");
}

describe("megabyte strings in error messages are cut", () => {
  it.each([
    ["a long magic", `{"magic": "${long}", "entries": []}`, "$.magic"],
    ["a long string for an integer", `{"magic": "PSTREE", "entries": [{"pid": "${long}"}]}`, "$.entries[0].pid"],
    ["a long key", `{"magic": "PSTREE", "entries": [{"${long}": 1}]}`, `$.entries[0]["${"x".repeat(QUOTE_LIMIT - 1)}…]`],
    ["a long enum name", `{"magic": "FDINFO", "entries": [{"id": 1, "flags": 0, "type": "${long}", "fd": 1}]}`, "$.entries[0].type"],
  ])("%s", (_, json, path) => {
    for (const encode of [() => critJsonToImageBytes(json), () => encodeImage(fromCritJson(json))]) {
      const err = error(encode);
      expect(err.path).toBe(path);
      expect(err.message.length).toBeLessThan(QUOTE_LIMIT + 400);
      expect(err.message).toContain("…");
    }
  }, 120_000);
});
