// The model over randomly damaged checkpoints: bytes changed, images cut short or dropped. Each
// case gives a Checkpoint (with warnings) or a typed error, and the views render it; never
// another exception.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CheckpointError } from "../../src/checkpoint/model/errors";
import { openCheckpoint } from "../../src/checkpoint/model/open";
import { inspectCheckpoint } from "../../src/checkpoint/views/inspect";
import { renderInspectTree } from "../../src/checkpoint/views/inspect-tree";
import { sourceFromFiles } from "../../src/source/files";
import { SourceError } from "../../src/source/source";
import { corpusDir } from "../support/corpus";
import { fixturePath } from "../support/fixtures";
import { readTree } from "../support/source-dir";

const BASE = readTree(fixturePath("podman/forensics/engine"));
readTree(`${corpusDir}podman-forensics/images`, "checkpoint/", BASE);
const NAMES = [...BASE.keys()].sort();

type Damage =
  | { kind: "flip"; member: number; at: number; value: number }
  | { kind: "cut"; member: number; at: number }
  | { kind: "drop"; member: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), member: fc.nat(), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("cut" as const), member: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant("drop" as const), member: fc.nat() }),
);

function damaged(list: readonly Damage[]): Map<string, Uint8Array> {
  const files = new Map([...BASE].map(([k, v]) => [k, v.slice()]));
  for (const d of list) {
    const name = NAMES[d.member % NAMES.length]!;
    const bytes = files.get(name);
    if (!bytes) continue;
    if (d.kind === "drop") files.delete(name);
    else if (bytes.length === 0) continue;
    else if (d.kind === "cut") files.set(name, bytes.slice(0, d.at % bytes.length));
    else bytes[d.at % bytes.length] = d.value;
  }
  return files;
}

describe("the model over damaged checkpoints", () => {
  it("gives a model with warnings or a typed error, and its views render", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 6 }), async (list) => {
        let cp;
        try {
          cp = await openCheckpoint(sourceFromFiles(damaged(list), "damaged"));
        } catch (err) {
          if (err instanceof CheckpointError || err instanceof SourceError) return;
          throw err;
        }
        const data = inspectCheckpoint(cp, { all: true });
        expect(typeof JSON.stringify(data)).toBe("string");
        expect(renderInspectTree(cp, data, { all: true })).toContain("Process tree");
      }),
      { numRuns: 150 },
    );
  });

  it("reports a damaged image as a warning naming it", async () => {
    const files = new Map(BASE);
    files.set("checkpoint/files.img", BASE.get("checkpoint/files.img")!.slice(0, 100));
    const cp = await openCheckpoint(sourceFromFiles(files, "cut"));
    expect(cp.warnings.map((w) => w.member)).toContain("checkpoint/files.img");
    expect(cp.tasks.find((t) => t.pid === 1)!.fds.find((d) => d.fd === 5)!.file.kind).toBe("missing");
  });
});
