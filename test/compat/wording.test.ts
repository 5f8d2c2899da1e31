import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { releaseMatrix } from "../../src/compat/matrix";
import type { Finding } from "../../src/compat/rule";
import { selectFindings } from "../../src/compat/select";
import { DIRECTIONS, EFFECTS, READERS, type Direction, type Reader } from "../../src/compat/verdict";
import { hazard, verdictsOf, wordFor, type Hazard, type Wording } from "../../src/compat/wording";
import { MORE_CASES } from "./rule-cases";
import { diff } from "./support";

// Messages worded per selected reader: a finding never names a reader left out, and names every
// selected reader it hits, with words that come from the same hazards as its verdicts.

/** Every non-empty subset of a list. */
function subsets<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < 1 << xs.length; mask++) out.push(xs.filter((_, i) => mask & (1 << i)));
  return out;
}

// "protobuf-c" is not a prefix of "protobuf-es" nor the other way round; "upb" is in neither.
const named = (message: string, r: Reader) => new RegExp(`(^|[ ,(])${r.replace("-", "\\-")}([ ,)]|$)`).test(message);

describe("wordFor", () => {
  const oneofLeft: Wording = {
    subject: "field a moved out of oneof v, and new data may set it along with b = 2",
    hazards: [...hazard("forward", ["protobuf-c", "upb"], "loss", "keep only the last of them"), ...hazard("forward", ["protobuf-es"], "reencode", "keep both but drop one on re-encode")],
  };

  it("names the readers that share words together, each group once", () => {
    expect(wordFor(oneofLeft)).toBe(
      "field a moved out of oneof v, and new data may set it along with b = 2: old protobuf-c and upb readers keep only the last of them; old protobuf-es readers keep both but drop one on re-encode",
    );
  });

  it("leaves out readers and directions not selected, and says when nothing selected is hit", () => {
    expect(wordFor(oneofLeft, ["protobuf-es"])).toBe("field a moved out of oneof v, and new data may set it along with b = 2: old protobuf-es readers keep both but drop one on re-encode");
    expect(wordFor(oneofLeft, ["upb", "protobuf-es"])).toBe(
      "field a moved out of oneof v, and new data may set it along with b = 2: old upb readers keep only the last of them; old protobuf-es readers keep both but drop one on re-encode",
    );
    expect(wordFor(oneofLeft, READERS, ["backward"])).toBe("field a moved out of oneof v, and new data may set it along with b = 2: no effect on protobuf-c, upb and protobuf-es readers (backward)");
  });

  it("says a hazard the same in both directions once, and a note after the hazards", () => {
    const w: Wording = { subject: "field a renumbered 1 → 2", hazards: hazard("either", "all", "loss", "read the other revision's value as an unknown field"), note: "see also b" };
    expect(wordFor(w)).toBe("field a renumbered 1 → 2: protobuf-c, upb and protobuf-es readers of either revision read the other revision's value as an unknown field; see also b");
    expect(wordFor(w, ["upb"], ["forward"])).toBe("field a renumbered 1 → 2: old upb readers read the other revision's value as an unknown field; see also b");
  });

  const hazardArb: fc.Arbitrary<Hazard> = fc.record({
    direction: fc.constantFrom(...DIRECTIONS),
    readers: fc.subarray([...READERS], { minLength: 1 }),
    effect: fc.constantFrom(...EFFECTS),
    says: fc.constantFrom("do x", "do y", "do z"),
  });

  it("any hazards, any selection: names exactly the selected readers that a selected hazard names", () => {
    fc.assert(
      fc.property(fc.array(hazardArb, { maxLength: 6 }), fc.subarray([...READERS], { minLength: 1 }), fc.subarray([...DIRECTIONS], { minLength: 1 }), (hazards, readers, directions) => {
        const text = wordFor({ subject: "S", hazards }, readers, directions);
        const hit = new Set(hazards.filter((h) => directions.includes(h.direction)).flatMap((h) => h.readers.filter((r) => readers.includes(r))));
        for (const r of READERS) {
          if (hit.has(r)) expect(named(text, r), `${r} in ${text}`).toBe(true);
          // With nothing hit, the message says which readers it has no effect on.
          else if (hit.size > 0 || !readers.includes(r)) expect(named(text, r), `${r} in ${text}`).toBe(false);
        }
        // Every selected phrase is said.
        for (const h of hazards) if (directions.includes(h.direction) && h.readers.some((r) => readers.includes(r))) expect(text).toContain(h.says);
      }),
    );
  });
});

const matrix = releaseMatrix();

/** The findings of the CRIU release pairs and of the rule cases, both ways. */
function sample(): Finding[] {
  const criu = matrix.flatMap((p) => p.findings);
  const cases = MORE_CASES.flatMap((c) => [...diff(c.old, c.new), ...diff(c.new, c.old)]);
  return [...criu, ...cases];
}

describe("findings worded per selected reader", () => {
  const findings = sample();

  it("every finding with an effect is worded from hazards that add up to its verdicts", () => {
    const hits = findings.filter((f) => DIRECTIONS.some((d) => READERS.some((r) => f.verdicts[d][r] !== "none")));
    expect(hits.length).toBeGreaterThan(50);
    for (const f of hits) {
      expect(f.wording, `${f.rule} ${f.path}`).toBeDefined();
      expect(verdictsOf(f.wording!.hazards), `${f.rule} ${f.path}`).toEqual(f.verdicts);
      expect(f.message).toBe(wordFor(f.wording!));
    }
    // Rule texts no longer speak of readers in general: each clause names its readers.
    for (const f of findings) expect(f.message, `${f.rule} ${f.path}`).not.toMatch(/\b(old|new) readers\b/);
  });

  it("for each choice of readers and directions: every affected reader named, no other", () => {
    const rules = new Set<string>();
    for (const readers of subsets(READERS)) {
      for (const directions of subsets(DIRECTIONS)) {
        for (const f of selectFindings(findings, { readers, directions })) {
          const hit = (r: Reader) => directions.some((d: Direction) => f.verdicts[d][r] !== "none");
          const anyHit = readers.some(hit);
          for (const r of READERS) {
            const where = `${f.rule} ${f.path} [${readers.join(",")} ${directions.join(",")}]: ${f.message}`;
            if (readers.includes(r) && hit(r)) expect(named(f.message, r), where).toBe(true);
            if (!readers.includes(r)) expect(named(f.message, r), where).toBe(false);
            if (anyHit && readers.includes(r) && !hit(r) && named(f.message, r)) {
              // A reader named without an effect is said to keep what it reads (a "none" hazard).
              expect(f.wording!.hazards.some((h) => h.effect === "none" && h.readers.includes(r)), where).toBe(true);
            }
          }
          if (anyHit) rules.add(f.rule);
        }
      }
    }
    expect(rules.size).toBeGreaterThan(15);
  });

  it("a closed-enum value added (CRIU v3.18 → v3.19): each reader's own effect, per selection", () => {
    const skip = (readers: Reader[]) =>
      selectFindings(matrix.find((p) => p.new === "v3.19")!.findings, { readers }).find((f) => f.path === "criu_network_lock_method.SKIP")!;
    expect(skip(["protobuf-es"]).message).toBe(
      "value SKIP = 3 added to closed enum criu_network_lock_method: old protobuf-es readers keep it as an unknown field and drop it on re-encode when the message has another unknown field (data loss on re-encode)",
    );
    expect(skip(["protobuf-es"]).severity).toBe("reencode");
    expect(skip(["protobuf-c", "upb"]).message).toBe(
      "value SKIP = 3 added to closed enum criu_network_lock_method: old protobuf-c readers keep the number in the field; old upb readers keep it as an unknown field",
    );
    expect(skip(["protobuf-c", "upb"]).severity).toBe("info");
  });
});
