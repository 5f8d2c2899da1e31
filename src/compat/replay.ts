import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createFileRegistry, fromBinary, toBinary, toJson, type DescMessage, type FileRegistry, type JsonValue, type Message } from "@bufbuild/protobuf";
import type { FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { decodeImage } from "../image/decode";
import { isRawImage } from "../image/entries";
import { criuRegistry } from "../schema/registry";
import { originalBytes } from "../image/message";

// Replay of real images: every message of every image in a dump directory, decoded under two
// schema revisions, and what differs. The framing (magic → entry message, payloads) is this
// package's (src/image, the magic table); each message's bytes are then read under each
// revision's descriptors (createFileRegistry) and compared in crit's JSON keys (proto names).

export interface ReplayDifference {
  file: string;
  /** The entry message, e.g. pagemap_entry. */
  message: string;
  /** The JSON key path, e.g. `nr_pages` or `gpregs.sp`, or `(message)` for the whole entry. */
  key: string;
  /** What each revision makes of it: a JSON value, "(absent)", or an error. */
  old: string;
  new: string;
  /** How many entries of the file differ this way. */
  count: number;
}

export interface ReplayReport {
  /** Images decoded (raw and unreadable files are listed in `skipped`). */
  images: string[];
  entries: number;
  skipped: { file: string; reason: string }[];
  differences: ReplayDifference[];
}

const ABSENT = "(absent)";

/** Every protobuf message of a decoded entry: the entry itself, or the messages of a payload entry. */
function messagesOf(entry: unknown): Message[] {
  if (entry && typeof entry === "object") {
    if ("$typeName" in entry) return [entry as Message];
    const out: Message[] = [];
    for (const v of Object.values(entry)) {
      if (Array.isArray(v)) for (const x of v) out.push(...messagesOf(x));
      else if (v && typeof v === "object" && "$typeName" in v) out.push(v as Message);
    }
    return out;
  }
  return [];
}

/** Flattens crit-style JSON to key paths; lists of messages are indexed. */
function flatten(v: JsonValue, prefix: string, out: Map<string, string>) {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(v) && v.some((x) => x !== null && typeof x === "object")) {
    v.forEach((x, i) => flatten(x, `${prefix}[${i}]`, out));
  } else {
    out.set(prefix, JSON.stringify(v));
  }
}

/** One revision's reading of a message's bytes: its crit-keyed JSON, flattened, or an error. */
function readUnder(registry: FileRegistry, typeName: string, bytes: Uint8Array): Map<string, string> | string {
  const desc: DescMessage | undefined = registry.getMessage(typeName);
  if (!desc) return `no message ${typeName}`;
  try {
    const m = fromBinary(desc, bytes);
    const out = new Map<string, string>();
    flatten(toJson(desc, m, { useProtoFieldName: true }), "", out);
    return out;
  } catch (err) {
    return `error: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Decodes every image of `dir` under both revisions and lists what differs, per file and key. */
export function replayDirectory(dir: string, oldSet: FileDescriptorSet, newSet: FileDescriptorSet): ReplayReport {
  const registries = [createFileRegistry(oldSet), createFileRegistry(newSet)] as const;
  const report: ReplayReport = { images: [], entries: 0, skipped: [], differences: [] };
  for (const file of readdirSync(dir).sort()) {
    // One bad file (unreadable, undecodable, a message that does not encode again) is named
    // among the skipped ones; the others are still replayed.
    try {
      replayFile(dir, file, registries, report);
    } catch (err) {
      report.skipped.push({ file, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}

function replayFile(dir: string, file: string, registries: readonly [FileRegistry, FileRegistry], report: ReplayReport): void {
  const path = join(dir, file);
  if (!statSync(path).isFile()) return;
  let image;
  try {
    image = decodeImage(readFileSync(path), { fileName: file });
  } catch (err) {
    report.skipped.push({ file, reason: err instanceof Error ? err.message : String(err) });
    return;
  }
  if (isRawImage(image)) {
    report.skipped.push({ file, reason: `raw ${image.magic} image` });
    return;
  }
  const byKey = new Map<string, ReplayDifference>();
  for (const entry of image.entries as unknown[]) {
    for (const msg of messagesOf(entry)) {
      report.entries++;
      const schema = criuRegistry.getMessage(msg.$typeName)!;
      // The bytes as read (unknown fields and enum values included); protobuf-es's own otherwise.
    const bytes = originalBytes(msg) ?? toBinary(schema, msg);
      const a = readUnder(registries[0], msg.$typeName, bytes);
      const b = readUnder(registries[1], msg.$typeName, bytes);
      const diffs: [string, string, string][] = [];
      if (typeof a === "string" || typeof b === "string") {
        const show = (x: typeof a) => (typeof x === "string" ? x : "decoded");
        if (show(a) !== show(b)) diffs.push(["(message)", show(a), show(b)]);
      } else {
        for (const key of new Set([...a.keys(), ...b.keys()])) {
          const [x, y] = [a.get(key) ?? ABSENT, b.get(key) ?? ABSENT];
          if (x !== y) diffs.push([key.replace(/\[\d+\]/g, "[]"), x, y]);
        }
      }
      for (const [key, x, y] of diffs) {
        // Values vary per entry: group by key and by which side has it.
        const shape = `${msg.$typeName}\u0000${key}\u0000${x === ABSENT}\u0000${y === ABSENT}`;
        const known = byKey.get(shape);
        if (known) known.count++;
        else byKey.set(shape, { file, message: msg.$typeName, key, old: x, new: y, count: 1 });
      }
    }
  }
  report.images.push(file);
  report.differences.push(...byKey.values());
}

export function formatReplay(report: ReplayReport, oldName: string, newName: string): string {
  const lines = report.differences.map(
    (d) => `${d.file}: ${d.message} ${d.key}: ${oldName} ${d.old}, ${newName} ${d.new} (${d.count} ${d.count === 1 ? "entry" : "entries"})`,
  );
  lines.push(
    `${report.images.length} images, ${report.entries} messages decoded under both revisions; ${report.differences.length} differences` +
      (report.skipped.length ? `; skipped ${report.skipped.map((s) => s.file).join(", ")}` : ""),
  );
  // Why each file was skipped, raw images aside (they have no messages to replay).
  lines.push(
    ...report.skipped.filter((s) => !s.reason.startsWith("raw ")).map((s) => `skipped ${s.file}: ${s.reason}`),
  );
  return `${lines.join("\n")}\n`;
}
