import { describe, expect, it } from "vitest";
import { NO_PROGRESS, progressLine, progressOnStderr } from "../../src/cli/progress";

describe("progress on stderr", () => {
  it("says bytes done, of the total when known, and the rate", () => {
    expect(progressLine("big.img", 120 << 20, 300 << 20, 2)).toBe("crit: big.img: 120.0 / 300.0 MiB (40%), 60.0 MiB/s");
    expect(progressLine("<stdin>", 3 << 19, undefined, 0.5)).toBe("crit: <stdin>: 1.5 MiB, 3.0 MiB/s");
  });

  it("is off with --quiet, and when stderr is not a terminal (as under the test runner)", () => {
    expect(progressOnStderr("x", 10, true)).toBe(NO_PROGRESS);
    if (!process.stderr.isTTY) expect(progressOnStderr("x", 10, false)).toBe(NO_PROGRESS);
  });
});
