import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compatVsBufHistories, compatVsBufMarkdown } from "../../scripts/compat-vs-buf";
import { repoRoot } from "../support/buf";

// docs/compat-vs-buf.md is generated (npm run -s compat-vs-buf) by running the bundled buf on
// every consecutive pair of shipped CRIU releases: it stays true as rules or buf change.

describe("docs/compat-vs-buf.md", () => {
  const histories = compatVsBufHistories();
  const generated = compatVsBufMarkdown(histories);

  it("on the Mesos, ONNX and OpenTelemetry steps: as many true findings as buf WIRE_JSON, no more false alarms than buf WIRE", () => {
    expect(histories.map((h) => h.history)).toEqual(["mesos", "onnx", "otel"]);
    for (const h of histories) {
      expect(h.ours.true, h.history).toBeGreaterThanOrEqual(h.wireJson.true);
      expect(h.ours.falseAlarm, h.history).toBeLessThanOrEqual(h.wire.falseAlarm);
      if (h.wire.falseAlarm > 0) expect(h.ours.falseAlarm, h.history).toBeLessThan(h.wire.falseAlarm);
      expect(h.ours.missed, h.history).toBe(0);
    }
  });

  it("is the generated comparison", () => {
    expect(readFileSync(`${repoRoot}docs/compat-vs-buf.md`, "utf8")).toBe(generated);
  });

  it("shows what buf alone misses and what both see", () => {
    // Closed-enum values behind required fields: only criu-compat.
    expect(generated).toMatch(/\| `core_entry\.march\.RISCV64` \| ENUM_VALUE_ADDED_REQUIRED \(breaking\) \| — \| — \|/);
    // The pagemap name reuse: buf sees only the rename of field 2.
    expect(generated).toMatch(/\| `pagemap_entry\.nr_pages` \| FIELD_NAME_REUSED \(json\) \| — \| — \|/);
    expect(generated).toMatch(/\| `pagemap_entry\.compat_nr_pages` \| FIELD_RENAMED \(json\) \| — \| FIELD_SAME_JSON_NAME, FIELD_SAME_NAME \|/);
    // Required field added and default changed: both, even buf's WIRE.
    expect(generated).toMatch(/\| `dump_stats_entry\.pages_lazy` \| FIELD_REQUIRED_ADDED \(breaking\) \| MESSAGE_SAME_REQUIRED_FIELDS \| MESSAGE_SAME_REQUIRED_FIELDS \|/);
    expect(generated).toMatch(/\| `criu_opts\.images_dir_fd` \| FIELD_DEFAULT_CHANGED \(breaking\) \| FIELD_SAME_DEFAULT \| FIELD_SAME_DEFAULT \|/);
    // Nothing buf flags on the CRIU history escapes criu-compat.
    for (const row of generated.split("\n").filter((l) => /^\| v[\d.]+ → /.test(l))) expect(row.split("|").at(-2)!.trim()).toBe("0");
  });
});
