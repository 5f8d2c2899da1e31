import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeSparsePipesImage } from "../support/big-image";
import { crit, startCrit, until } from "../support/crit";

// A crit killed mid-write leaves no temporary file behind, and the target as it was.

const work = mkdtempSync(join(tmpdir(), "crit-signal-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("SIGTERM during crit encode -o", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("%s: exits 128+N, no .tmp left, the old output kept", async (signal) => {
    const img = join(work, "big.img");
    const jsonFile = join(work, "big.json");
    if (!existsSync(jsonFile)) {
      writeSparsePipesImage(img, 160 << 20);
      const r = crit(["decode", "-i", img, "-o", jsonFile]);
      expect(r.code).toBe(0);
      rmSync(img);
    }
    const out = join(work, "out.img");
    writeFileSync(out, "old");
    const child = startCrit(["encode", "-i", jsonFile, "-o", out]);
    let exited = false;
    void child.done.then(() => (exited = true));
    const temps = () => readdirSync(work).filter((f) => f.endsWith(".tmp"));
    await until(() => temps().length > 0 || exited);
    // Had crit finished before its temporary file was seen, this test would prove nothing.
    expect(exited).toBe(false);
    child.kill(signal);
    const r = await child.done;
    expect(r.code).toBe(signal === "SIGTERM" ? 143 : 130);
    expect(temps()).toEqual([]);
    expect(readdirSync(work).sort()).toEqual(["big.json", "out.img"]);
    expect(readFileSync(out, "utf8")).toBe("old");
  });
});
