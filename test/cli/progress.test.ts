import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { NO_PROGRESS, progressLine, progressOnStderr } from "../../src/cli/progress";

describe("progress on stderr", () => {
  it("says bytes done, of the total when known, and the rate", () => {
    expect(progressLine("big.img", 120 << 20, 300 << 20, 2)).toBe("crit: big.img: 120.0 / 300.0 MiB (40%), 60.0 MiB/s");
    expect(progressLine("<stdin>", 3 << 19, undefined, 0.5)).toBe("crit: <stdin>: 1.5 MiB, 3.0 MiB/s");
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("is off with --quiet", () => {
    expect(progressOnStderr("x", 10, true)).toBe(NO_PROGRESS);
  });

  // Whether stderr is a terminal is asked once the work has taken a second, not before.
  for (const terminal of [false, true]) {
    it(`after a second, draws ${terminal ? "on a terminal" : "nothing when stderr is not a terminal"}`, () => {
      vi.useFakeTimers({ now: 0 });
      const own = Object.getOwnPropertyDescriptor(process.stderr, "isTTY");
      let asked = 0;
      Object.defineProperty(process.stderr, "isTTY", { configurable: true, get: () => (asked++, terminal) });
      onTestFinished(() => {
        if (own) Object.defineProperty(process.stderr, "isTTY", own);
        else delete (process.stderr as { isTTY?: boolean }).isTTY;
      });
      const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
      const progress = progressOnStderr("x.img", 10 << 20, false);
      progress.add(1 << 20);
      expect(asked).toBe(0);
      vi.setSystemTime(1500);
      progress.add(4 << 20);
      progress.end();
      expect(asked).toBe(1);
      expect(write.mock.calls.map((c) => c[0])).toEqual(terminal ? ["\r\x1b[Kcrit: x.img: 5.0 / 10.0 MiB (50%), 3.3 MiB/s", "\r\x1b[K"] : []);
    });
  }
});
