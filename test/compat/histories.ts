import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";

// The 25 real steps of schema histories that are not CRIU's (Apache Mesos, ONNX, OpenTelemetry),
// kept in test/fixtures/compat/histories (the project's reference histories): both revisions as
// gzipped descriptor sets (source info kept only for the elements that differ), and what really
// breaks in each step, written from the diff (expected.json).

export type BreakKind = "wire" | "json" | "reencode" | "api";

export interface ExpectedBreak {
  path: string;
  kind: BreakKind;
  rule: string;
}

export interface Step {
  history: string;
  step: string;
  /** test/fixtures/compat/histories/<history>/<step>, holding old.binpb.gz and new.binpb.gz. */
  dir: string;
  why: string;
  breaks: ExpectedBreak[];
}

export const historiesDir = join(import.meta.dirname, "..", "fixtures", "compat", "histories");

export function historySteps(): Step[] {
  const expected = JSON.parse(readFileSync(join(historiesDir, "expected.json"), "utf8")) as { steps: Record<string, { why: string; breaks: ExpectedBreak[] }> };
  const steps: Step[] = [];
  for (const history of readdirSync(historiesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const step of readdirSync(join(historiesDir, history)).sort()) {
      const e = expected.steps[`${history}/${step}`];
      if (!e) throw new Error(`no expectation for ${history}/${step} in expected.json`);
      steps.push({ history, step, dir: join(historiesDir, history, step), ...e });
    }
  }
  return steps;
}

export function stepSet(step: Step, side: "old" | "new"): FileDescriptorSet {
  return fromBinary(FileDescriptorSetSchema, gunzipSync(readFileSync(join(step.dir, `${side}.binpb.gz`))));
}
