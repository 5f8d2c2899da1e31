// Figures per case, the ratios, and the printed tables.

import type { BenchImage } from "./images";

/** One case on one image, as written to results.json. */
export interface CaseFigures {
  seconds?: number;
  /** Image bytes (not JSON bytes) per second, in MB (10^6 bytes). */
  MBps?: number;
  entriesPerSecond?: number;
  /** Peak resident set size of the process, MiB. */
  peakRssMB?: number | null;
  runs?: number;
  firstSeconds?: number;
  phases?: Record<string, number>;
  identical?: boolean;
  maxBufferedMB?: number;
  error?: string;
  skipped?: string;
}

export interface ImageFigures {
  name: string;
  file: string;
  source: BenchImage["source"];
  magic: string;
  bytes: number;
  entries?: number;
  generateSeconds?: number;
  cases: Record<string, CaseFigures>;
  checks: Record<string, boolean | undefined>;
}

export function figures(image: BenchImage, seconds: number | undefined, extra: Omit<CaseFigures, "seconds" | "MBps" | "entriesPerSecond">): CaseFigures {
  const out: CaseFigures = {};
  if (seconds !== undefined && !extra.error) {
    out.seconds = round(seconds, 6);
    out.MBps = round(image.bytes / 1e6 / seconds, 4);
    if (image.entries) out.entriesPerSecond = Math.round(image.entries / seconds);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (out as Record<string, unknown>)[k] = typeof v === "number" ? round(v, 6) : v;
  return out;
}

export interface Ratio {
  value: number | null;
  /** Where the smallest value was found (the largest, for a ratio that must stay low). */
  worst?: string;
  each: Record<string, number>;
}

/** The smallest (or with `most`, the largest) of `a.seconds ÷ b.seconds` over the images, for each pair of cases. */
function smallest(images: ImageFigures[], pairs: [slow: string, fast: string][], most = false): Ratio {
  const each: Record<string, number> = {};
  for (const image of images) {
    for (const [slow, fast] of pairs) {
      const s = image.cases[slow]?.seconds;
      const f = image.cases[fast]?.seconds;
      if (s !== undefined && f !== undefined && f > 0) each[`${image.name}: ${slow} ÷ ${fast}`] = round(s / f, 4);
    }
  }
  const entries = Object.entries(each);
  if (entries.length === 0) return { value: null, each };
  const [worst, value] = entries.reduce((a, b) => ((most ? b[1] > a[1] : b[1] < a[1]) ? b : a));
  return { value, worst, each };
}

/**
 * Payload images (the generated pipes-data ones): our time over the I/O floor, both ways, the
 * largest over the images (the target is at most 3).
 */
export function payloadRatio(images: ImageFigures[]): Ratio {
  return smallest(
    images.filter((i) => i.magic === "PIPES_DATA"),
    [
      ["to-json", "I/O floor, image -> JSON"],
      ["from-json", "I/O floor, JSON -> image"],
    ],
    true,
  );
}

export function computeRatios(all: ImageFigures[], large: Set<string>) {
  const images = all.filter((i) => large.has(i.name));
  const messageImages = images.filter((i) => i.magic !== "PIPES_DATA");
  const decodePairs: [string, string][] = [
    ["crit decode", "to-json"],
    ["crit decode --pretty", "to-json-pretty"],
  ];
  const encodePairs: [string, string][] = [
    ["crit encode", "from-json"],
    ["crit encode (pretty JSON)", "from-json-pretty"],
  ];
  // The same crit cases against the I/O floor (reading the input and writing an output as large,
  // nothing else): the most any tool could gain over crit. Below 30 or 20, no tool meets the target.
  const againstFloor = (pairs: [string, string][], floor: string) => pairs.map(([crit]) => [crit, floor] as [string, string]);
  const decodeJson = smallest(images, decodePairs);
  const encode = smallest(images, encodePairs);
  const decodeCeiling = smallest(images, againstFloor(decodePairs, "I/O floor, image -> JSON"));
  const encodeCeiling = smallest(images, againstFloor(encodePairs, "I/O floor, JSON -> image"));
  const decodeMessages = smallest(messageImages, decodePairs);
  const encodeMessages = smallest(messageImages, encodePairs);
  const vsProtobufjs = smallest(messageImages, [["protobufjs", "decode"]]);
  const vsProtobufEs = smallest(messageImages, [["protobuf-es fromBinary", "decode"]]);
  const vsFloor = smallest(messageImages, [["wire scan (floor)", "decode"]]);
  // The large pipes-data image (1 GiB; 16 MiB in a quick run): the last pipes-data one generated.
  const pipes = images.filter((i) => i.magic === "PIPES_DATA").sort((a, b) => a.bytes - b.bytes);
  const huge = pipes[pipes.length - 1];
  const payload = payloadRatio(images);
  const ratios = {
    decodeJsonVsCrit: decodeJson.value,
    encodeVsCrit: encode.value,
    typedDecodeVsProtobufjs: vsProtobufjs.value,
    typedDecodeVsFloor: vsFloor.value,
    stream1GiBPeakRssMB: huge?.cases.stream?.peakRssMB ?? null,
    stream1GiBPeakRssMBBufferPerEntry: huge?.cases["stream, a buffer per entry"]?.peakRssMB ?? null,
    typedDecodeVsProtobufEs: vsProtobufEs.value,
    decodeJsonVsCritMessageImages: decodeMessages.value,
    encodeVsCritMessageImages: encodeMessages.value,
    ioFloorDecodeJsonVsCrit: decodeCeiling.value,
    ioFloorEncodeVsCrit: encodeCeiling.value,
    payloadVsIoFloor: payload.value,
  };
  const details = {
    decodeJsonVsCrit: decodeJson,
    encodeVsCrit: encode,
    typedDecodeVsProtobufjs: vsProtobufjs,
    typedDecodeVsFloor: vsFloor,
    typedDecodeVsProtobufEs: vsProtobufEs,
    decodeJsonVsCritMessageImages: decodeMessages,
    encodeVsCritMessageImages: encodeMessages,
    ioFloorDecodeJsonVsCrit: decodeCeiling,
    ioFloorEncodeVsCrit: encodeCeiling,
    payloadVsIoFloor: payload,
  };
  return { ratios, details };
}

/** A table of one image's cases. */
export function printImage(image: ImageFigures, log: (line: string) => void): void {
  log("");
  log(`${image.name}  (${(image.bytes / 1e6).toFixed(2)} MB, ${image.entries ?? "?"} entries)`);
  log(`  ${"case".padEnd(28)}${"time".padStart(11)}${"MB/s".padStart(10)}${"entries/s".padStart(13)}${"peak RSS".padStart(11)}`);
  for (const [name, c] of Object.entries(image.cases)) {
    if (c.seconds === undefined) {
      log(`  ${name.padEnd(28)}  ${c.skipped ? `skipped: ${c.skipped}` : `failed: ${c.error}`}${c.peakRssMB ? ` (peak RSS ${c.peakRssMB.toFixed(0)} MiB)` : ""}`);
      continue;
    }
    const rss = c.peakRssMB == null ? "" : `${c.peakRssMB.toFixed(0)} MiB`;
    log(
      `  ${name.padEnd(28)}${time(c.seconds).padStart(11)}${(c.MBps ?? 0).toFixed(1).padStart(10)}${(c.entriesPerSecond ?? 0).toLocaleString("en").padStart(13)}${rss.padStart(11)}`,
    );
  }
  const checks = Object.entries(image.checks).filter(([, v]) => v !== undefined);
  if (checks.length) log(`  checks: ${checks.map(([k, v]) => `${k} ${v ? "yes" : "NO"}`).join(", ")}`);
}

export function printRatios(result: ReturnType<typeof computeRatios>, log: (line: string) => void): void {
  log("");
  log("ratios (message and payload images: the smallest over the large generated images; payloadVsIoFloor the largest):");
  for (const [name, value] of Object.entries(result.ratios)) {
    const detail = (result.details as Record<string, Ratio>)[name];
    const text = value === null ? "n/a" : typeof value === "object" ? JSON.stringify(value) : String(value);
    log(`  ${name.padEnd(26)} ${text}${detail?.worst ? `   (worst: ${detail.worst})` : ""}`);
  }
}

function time(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(2)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(1)} ms`;
  return `${(seconds * 1e6).toFixed(1)} µs`;
}

/** `digits` significant digits. */
function round(x: number, digits: number): number {
  return Number(x.toPrecision(digits));
}
