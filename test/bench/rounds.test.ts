import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { floorFile } from "../../bench/one-pass-floor";
import { onePassCeiling, type GoImageFigures } from "../../bench/peers/go-images";
import { aroundPeer, speedProbe } from "../../bench/rounds";

describe("a round's sample of ours around the peer's run", () => {
  it("times as many runs before the peer as after it, and takes the median of all", async () => {
    const events: string[] = [];
    // Runs of 1, 2, 3 ms before the peer, 40, 50, 60 ms after: the median of the six (the slower
    // middle one, the fourth) is at least 40 ms however slow the machine, where the before-runs
    // alone would give about 2 ms.
    const waits = [1, 2, 3, 40, 50, 60];
    let k = 0;
    const run = () => {
      const ms = waits[k++]!;
      events.push(`run ${ms}`);
      return new Promise((resolve) => setTimeout(resolve, ms));
    };
    const sample = await aroundPeer(run, 3, () => events.push("peer"));
    expect(events).toEqual(["run 1", "run 2", "run 3", "peer", "run 40", "run 50", "run 60"]);
    expect(sample.wall).toBeGreaterThanOrEqual(0.035);
  });

  it("without a peer, is timeRun's median of the runs", async () => {
    let calls = 0;
    const sample = await aroundPeer(() => calls++, 3, undefined);
    expect(calls).toBe(3);
    expect(sample.wall).toBeGreaterThanOrEqual(0);
  });
});

describe("the speed probe", () => {
  it("gives the milliseconds of its fixed loop, a finite positive number", () => {
    const ms = speedProbe();
    expect(Number.isFinite(ms)).toBe(true);
    expect(ms).toBeGreaterThan(0);
  });
});

describe("the one-pass floor against go-criu", () => {
  it("copies every byte above space into a quarter-size buffer, wrapping around", () => {
    const dir = mkdtempSync(join(tmpdir(), "floor-"));
    try {
      const json = join(dir, "in.json");
      writeFileSync(json, '{"a": [1, 2],\n "bc": 3}   ');
      floorFile(json, join(dir, "out"));
      // 27 bytes in: a buffer of max(16, 6) bytes; the first 16 of the 18 bytes above space fill it, the last two go over its start.
      const kept = '{"a":[1,2],"bc":3}';
      expect(readFileSync(join(dir, "out")).toString()).toBe(kept.slice(16) + kept.slice(2, 16));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is judged on the image where its upper quartile is smallest", () => {
    const image = (name: string, high: number): GoImageFigures => ({ image: name, cases: {}, ratios: { encodeOnePassCeiling: { median: high - 1, low: high - 2, high } } });
    expect(onePassCeiling([image("core", 12.5), image("pagemap", 11.9), image("mm", 15)])).toEqual({ median: 10.9, low: 9.9, high: 11.9, worst: "pagemap" });
    expect(onePassCeiling([{ image: "x", cases: {}, ratios: {} }])).toBeNull();
  });
});
