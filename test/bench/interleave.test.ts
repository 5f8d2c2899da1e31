// The bench's interleaved timing: quartiles, per-pair ratios, and a real interleaved run of two
// commands. No figure is checked against a time limit.

import { mkdtempSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { canTime, interleave, ratio, seriesSummary, spread, type Series } from "../../bench/peers/interleave";

const series = (label: string, walls: number[]): Series => ({ label, samples: walls.map((wall) => ({ wall, cpu: wall / 2, rssMB: 10, writeBytes: 0 })) });

describe("interleaved peer timing", () => {
  it("gives the median and quartiles by linear interpolation", () => {
    expect(spread([4, 1, 3, 2, 5])).toEqual({ median: 3, low: 2, high: 4 });
    expect(spread([1, 2, 3, 4])).toEqual({ median: 2.5, low: 1.75, high: 3.25 });
  });

  it("takes ratios pair by pair, so that load shared by a pair cancels out", () => {
    // Each pair ran under a different load: the per-pair ratio is 3 every time.
    const slow = series("slow", [0.3, 0.9, 0.6, 3]);
    const fast = series("fast", [0.1, 0.3, 0.2, 1]);
    expect(ratio(slow, fast)).toEqual({ median: 3, low: 3, high: 3 });
    expect(ratio(slow, fast, "cpu")).toEqual({ median: 3, low: 3, high: 3 });
    expect(ratio(fast, slow)!.median).toBeCloseTo(1 / 3, 3);
  });

  it("gives no ratio when either side failed", () => {
    expect(ratio({ ...series("a", [1]), error: "exit 1" }, series("b", [1]))).toBeUndefined();
    expect(ratio(series("a", []), series("b", [1]))).toBeUndefined();
    expect(seriesSummary({ label: "x", samples: [], error: "boom" })).toEqual({ runs: 0, error: "boom" });
  });

  it.skipIf(!canTime())("runs commands in turn and records wall time, CPU time and peak RSS", () => {
    const [ok, bad] = interleave(
      [
        { label: "node", argv: [process.execPath, "-e", "0"] },
        { label: "fails", argv: [process.execPath, "-e", "process.exit(3)"] },
      ],
      3,
    );
    expect(ok!.samples).toHaveLength(3);
    expect(ok!.error).toBeUndefined();
    for (const s of ok!.samples) {
      expect(s.wall).toBeGreaterThanOrEqual(0);
      expect(s.rssMB).toBeGreaterThan(1);
    }
    expect(bad!.samples).toHaveLength(0);
    expect(bad!.error).toMatch(/fails: exit 3/);
  });

  it.skipIf(!canTime())("runs a command in its folder, taking the exit statuses it is told mean success", () => {
    // buf breaking exits 100 when it finds something: a result, not a failure.
    const dir = realpathSync(tmpdir());
    const inTmp = `if (process.cwd() !== ${JSON.stringify(dir)}) process.exit(1); process.exit(100)`;
    const [told, untold] = interleave(
      [
        { label: "told", argv: [process.execPath, "-e", inTmp], cwd: dir, okStatus: [0, 100] },
        { label: "untold", argv: [process.execPath, "-e", inTmp], cwd: dir },
      ],
      2,
    );
    expect(told!.error).toBeUndefined();
    expect(told!.samples).toHaveLength(2);
    expect(untold!.error).toMatch(/untold: exit 100/);
  });

  it.skipIf(!canTime())("gives each run a fresh TMPDIR, measures what is left in it and removes it, and counts bytes sent to storage", () => {
    const base = mkdtempSync(join(tmpdir(), "interleave-test-"));
    try {
      // Leaves 3000 bytes in its TMPDIR (synced, so they reach storage) only when TMPDIR is a new, empty folder under base.
      const script = `const fs = require("fs"), p = require("path"), d = process.env.TMPDIR;
        if (p.dirname(d) !== ${JSON.stringify(base)} || fs.readdirSync(d).length) process.exit(1);
        const fd = fs.openSync(p.join(d, "x"), "w"); fs.writeSync(fd, Buffer.alloc(3000, 1)); fs.fsyncSync(fd);`;
      const [run] = interleave([{ label: "writer", argv: [process.execPath, "-e", script], freshTmpdirUnder: base }], 2, 60, false);
      expect(run!.error).toBeUndefined();
      expect(run!.samples).toHaveLength(2);
      for (const s of run!.samples) {
        expect(s.tmpdirBytesAfter).toBeGreaterThanOrEqual(3000);
        expect(s.writeBytes).toBeGreaterThanOrEqual(3000);
      }
      expect(readdirSync(base)).toEqual([]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
