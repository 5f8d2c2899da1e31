import { describe, expect, it } from "vitest";
import { compareSchemas } from "../../src/compat/compare";
import { schemaModel } from "../../src/compat/model";
import type { Finding } from "../../src/compat/rule";
import { historySteps, stepSet, type BreakKind } from "./histories";

// Every step of the real Mesos, ONNX and OpenTelemetry histories: criu-compat reports exactly
// what expected.json (written from the diffs) says breaks, each with the right rule and
// severity, and nothing else above info; no two findings of a step disagree about an element.

const SEVERITY: Record<BreakKind, Finding["severity"]> = { wire: "breaking", api: "breaking", json: "json", reencode: "reencode" };

const steps = historySteps();

describe("real schema histories (Mesos, ONNX, OpenTelemetry)", () => {
  it("has the 25 shared steps", () => {
    expect(steps.length).toBe(25);
    expect(new Set(steps.map((s) => s.history))).toEqual(new Set(["mesos", "onnx", "otel"]));
  });

  for (const step of steps) {
    describe(`${step.history} ${step.step}`, () => {
      const findings = compareSchemas(schemaModel(stepSet(step, "old")), schemaModel(stepSet(step, "new")));
      const notable = findings.filter((f) => f.severity !== "info");

      it(`reports what breaks (${step.why})`, () => {
        const got = notable.map((f) => `${f.path} ${f.rule} ${f.severity}`).sort();
        const want = step.breaks.map((b) => `${b.path} ${b.rule} ${SEVERITY[b.kind]}`).sort();
        expect(got).toEqual(want);
      });

      it("gives no element two verdicts that disagree", () => {
        // A type removed or renamed is info when its users are compared on their own: a type
        // finding never claims a break that the findings on its users deny, or the reverse.
        for (const f of findings.filter((x) => /^(MESSAGE|ENUM)_(REMOVED|RENAMED)$/.test(x.rule))) expect(f.severity, `${f.rule} ${f.path}`).toBe("info");
        // No element is both removed and still reported as changed, or the reverse.
        const removed = new Set(findings.filter((f) => /_REMOVED$/.test(f.rule)).map((f) => f.path));
        const changed = findings.filter((f) => removed.has(f.path) && !/_REMOVED$/.test(f.rule) && f.severity !== "info");
        expect(changed.map((f) => `${f.rule} ${f.path}`)).toEqual([]);
      });

      it("locates every finding in the new revision's files (removed elements at what encloses them)", () => {
        const files = new Set(stepSet(step, "new").file.map((f) => f.name));
        for (const f of notable) {
          if (f.location) expect(files.has(f.location.file), `${f.path} at ${f.location.file}`).toBe(true);
          else expect(f.oldLocation, `${f.path} has no location at all`).toBeDefined();
        }
      });
    });
  }
});
