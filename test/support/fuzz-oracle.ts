// What must hold for any input, however damaged: the checks of `npm run fuzz` (scripts/fuzz.ts),
// also run by test/fuzz/findings.test.ts on every saved finding. Each returns the problems found
// (empty: the input is handled as it should be).

import {
  critJsonToImageBytes,
  CritJsonError,
  decodeImage,
  encodeImage,
  ExploreError,
  fromCritJson,
  ImageError,
  imageBytesToCritJsonBytes,
  isRawImage,
  openImageStream,
  toCritJson,
  type AnyImage,
  type ReadIntoSource,
} from "../../src/index";
import { imageBytesToCritJsonChunks } from "../../src/json/from-image/image-bytes";
import { entryToJson } from "../../src/json/from-image/to-crit";
import { stringifyJson } from "../../src/json/from-image/stringify";
import { imageRowByName } from "../../src/image/magic-table";
import { explorePs, exploreFds, exploreMems, exploreRss, dumpSourceFromFiles } from "../../src/index";

export interface Outcome {
  /** Problems: an untyped exception, paths that disagree, a round trip that changes data... */
  problems: string[];
  /** The JSON round trip gave other bytes, in the canonical form (README: "What the decoder accepts"). */
  canonicalized?: boolean;
  /** The decoder accepted the input. */
  accepted?: boolean;
}

/** Typed errors of the library: anything else escaping is a finding. */
export function isTyped(err: unknown): boolean {
  return err instanceof ImageError || err instanceof CritJsonError || err instanceof ExploreError;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: unknown };

function attempt<T>(fn: () => T): Result<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.constructor.name}: ${err.message.slice(0, 300)}` : String(err);
}

function untyped(what: string, r: Result<unknown>, problems: string[]): boolean {
  if (!r.ok && !isTyped(r.error)) {
    problems.push(`${what}: untyped ${describe(r.error)}`);
    return true;
  }
  return false;
}

/** Both failed with the same text, or both gave equal results. */
function sameOutcome(what: string, a: Result<string>, b: Result<string>, problems: string[]): void {
  if (a.ok !== b.ok) problems.push(`${what}: one path ${a.ok ? "accepts" : `fails (${describe((a as { error: unknown }).error)})`}, the other ${b.ok ? "accepts" : `fails (${describe((b as { error: unknown }).error)})`}`);
  else if (a.ok && b.ok && a.value !== b.value) problems.push(`${what}: the two paths write different output`);
  else if (!a.ok && !b.ok && describe(a.error) !== describe(b.error)) problems.push(`${what}: different errors: ${describe(a.error)} / ${describe(b.error)}`);
}

const latin1 = new TextDecoder("latin1");
const bytesText = (b: Uint8Array) => latin1.decode(b);

/** Output may grow over its input by at most this factor (plus a little): pretty JSON of tiny messages. */
const GROWTH = 24;

/** Checks of an image's bytes: decode, encode, both JSON paths (plain and pretty), the JSON round trip. */
export function checkImageBytes(bytes: Uint8Array, fileName: string): Outcome {
  const problems: string[] = [];
  const decoded = attempt(() => decodeImage(bytes, { fileName }));
  if (untyped("decodeImage", decoded, problems)) return { problems };
  for (const pretty of [false, true]) {
    const fast = attempt(() => bytesText(imageBytesToCritJsonBytes(bytes, { fileName, pretty })));
    const object = attempt(() => {
      if (!decoded.ok) throw decoded.error;
      return toCritJson(decoded.value, { pretty });
    });
    untyped(`imageBytesToCritJsonBytes${pretty ? " (pretty)" : ""}`, fast, problems);
    untyped(`toCritJson${pretty ? " (pretty)" : ""}`, object, problems);
    if (decoded.ok && isRawImage(decoded.value)) {
      // No JSON of raw data: both refuse (toCritJson cannot know the file's name).
      if (fast.ok || !(fast.error instanceof ImageError) || fast.error.kind !== "bad-magic") problems.push("image → JSON of a raw image: not refused with bad-magic");
      continue;
    }
    sameOutcome(`image → JSON${pretty ? " (pretty)" : ""}`, fast, object, problems);
    // In small chunks of one reused buffer (what `crit decode -o` writes): the same text or error.
    const chunked = attempt(() => {
      let text = "";
      for (const chunk of imageBytesToCritJsonChunks(bytes, { fileName, pretty, chunkSize: 64 })) text += bytesText(chunk);
      return text;
    });
    sameOutcome(`image → JSON in chunks${pretty ? " (pretty)" : ""}`, chunked, fast, problems);
    if (fast.ok && fast.value.length > GROWTH * bytes.length + 4096) problems.push(`image → JSON: ${fast.value.length} bytes of JSON from ${bytes.length}`);
  }
  if (!decoded.ok) return { problems, accepted: false };
  const image = decoded.value;
  const again = attempt(() => encodeImage(image, { fileName }));
  if (!again.ok) problems.push(`decodeImage accepts, encodeImage fails: ${describe(again.error)}`);
  else if (bytesText(again.value) !== bytesText(bytes)) problems.push("decode → encode changes the bytes");
  if (isRawImage(image)) return { problems, accepted: true };
  const json = attempt(() => toCritJson(image));
  if (!json.ok) return { problems, accepted: true };
  const round = checkJsonRoundTrip(json.value, fileName, problems);
  return { problems, accepted: true, canonicalized: round !== undefined && bytesText(round) !== bytesText(bytes) };
}

/**
 * JSON written by toCritJson must encode by both paths to the same image, which must decode to
 * the same JSON (the canonical form: README, "What the decoder accepts").
 */
function checkJsonRoundTrip(json: string, fileName: string, problems: string[]): Uint8Array | undefined {
  const fused = attempt(() => critJsonToImageBytes(json, { fileName }));
  const object = attempt(() => encodeImage(fromCritJson(json, { fileName }), { fileName }));
  if (!fused.ok || !object.ok) {
    problems.push(`image → JSON → image fails: ${describe(fused.ok ? (object as { error: unknown }).error : fused.error)}`);
    return undefined;
  }
  if (bytesText(fused.value) !== bytesText(object.value)) problems.push("JSON → image: the two paths write different bytes");
  const back = attempt(() => toCritJson(decodeImage(fused.value, { fileName })));
  if (!back.ok) problems.push(`JSON → image writes what decodeImage refuses: ${describe(back.error)}`);
  else if (back.value !== json) problems.push("image → JSON → image → JSON changes the JSON");
  return fused.value;
}

/** Checks of a JSON document: both encoders agree, only typed errors, and what they write decodes to what the JSON shows. */
export function checkJsonText(text: string, fileName: string): Outcome {
  const problems: string[] = [];
  const fused = attempt(() => critJsonToImageBytes(text, { fileName }));
  const parsed = attempt(() => fromCritJson(text, { fileName }));
  const object = attempt(() => {
    if (!parsed.ok) throw parsed.error;
    return encodeImage(parsed.value, { fileName });
  });
  untyped("critJsonToImageBytes", fused, problems);
  untyped("fromCritJson / encodeImage", object, problems);
  sameOutcome(
    "JSON → image",
    fused.ok ? { ok: true, value: bytesText(fused.value) } : fused,
    object.ok ? { ok: true, value: bytesText(object.value) } : object,
    problems,
  );
  if (!fused.ok || !parsed.ok) return { problems, accepted: false };
  if (fused.value.length > text.length + 4096) problems.push(`JSON → image: ${fused.value.length} bytes from ${text.length} of JSON`);
  const back = attempt(() => decodeImage(fused.value, { fileName }));
  if (!back.ok) problems.push(`JSON → image writes what decodeImage refuses: ${describe(back.error)}`);
  else {
    const shown = attempt(() => toCritJson(parsed.value as AnyImage));
    const read = attempt(() => toCritJson(back.value));
    if (shown.ok && read.ok && shown.value !== read.value) problems.push("JSON → image → JSON shows other data than the JSON");
    untyped("toCritJson of the encoded image", read, problems);
  }
  return { problems, accepted: true };
}

function entryText(magic: string, entry: unknown, index: number): string {
  const render = { pretty: false };
  return stringifyJson(entryToJson(imageRowByName(magic)!, entry, index, render, false), false);
}

/** A ReadIntoSource over bytes, read in small uneven pieces. */
function readInto(bytes: Uint8Array): ReadIntoSource {
  let at = 0;
  return {
    size: bytes.length,
    readInto: async (target) => {
      const n = Math.min(target.length, bytes.length - at, 1 + (at % 7) * 97);
      target.set(bytes.subarray(at, at + n));
      at += n;
      return n;
    },
  };
}

/**
 * Streams: chunks, readInto, readInto with reused buffers: the same image (or error) as
 * decodeImage. With reused buffers each entry is compared as it comes (its views die after).
 */
export async function checkStreams(bytes: Uint8Array, fileName: string): Promise<string[]> {
  const problems: string[] = [];
  const whole = attempt(() => decodeImage(bytes, { fileName }));
  const expected = whole.ok ? (isRawImage(whole.value) ? "raw" : whole.value.entries.map((e, i) => entryText(whole.value.magic, e, i)).join("\n")) : describe(whole.error);
  const chunks = async function* () {
    for (let i = 0; i < bytes.length; i += 61) yield bytes.subarray(i, i + 61);
  };
  const sources: [string, () => Parameters<typeof openImageStream>[0], boolean][] = [
    ["chunks", () => chunks(), false],
    ["readInto", () => readInto(bytes), false],
    ["readInto + reuseBuffers", () => readInto(bytes), true],
  ];
  for (const [name, source, reuseBuffers] of sources) {
    let got: string;
    try {
      const stream = await openImageStream(source(), { fileName, reuseBuffers });
      if ("raw" in stream) got = "raw";
      else {
        // With reused buffers, an entry's views are valid until the next: each is shown at once.
        const texts: string[] = [];
        for await (const entry of stream.entries) texts.push(entryText(stream.magic, entry, texts.length));
        got = texts.join("\n");
      }
    } catch (err) {
      if (!isTyped(err)) problems.push(`stream (${name}): untyped ${describe(err)}`);
      got = describe(err);
    }
    if (got !== expected) problems.push(`stream (${name}) differs from decodeImage: ${got.slice(0, 200)} / ${expected.slice(0, 200)}`);
  }
  return problems;
}

/** The explorers over a dump: only typed errors, output bounded. */
export function checkExplorers(files: Record<string, Uint8Array>): string[] {
  const problems: string[] = [];
  const source = dumpSourceFromFiles(files);
  const size = Object.values(files).reduce((n, b) => n + b.length, 0);
  for (const [name, explore] of [["ps", explorePs], ["fds", exploreFds], ["mems", exploreMems], ["rss", exploreRss]] as const) {
    const r = attempt(() => explore(source));
    if (untyped(`explore ${name}`, r, problems)) continue;
    if (r.ok && r.value.length > GROWTH * size + 65536) problems.push(`explore ${name}: ${r.value.length} characters from ${size} bytes`);
  }
  return problems;
}
