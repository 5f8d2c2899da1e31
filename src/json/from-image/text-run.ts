// Runs of JSON text written again and again (keys with their indentation, pretty forms of
// values): kept with their bytes as 32-bit words, written four bytes at a time.

import type { JsonSink } from "./sink";

/**
 * A run of text kept to be written many times: its bytes, the same as 32-bit words, and where
 * its indentation is (`skip` spaces from `head`; none when skip is 0).
 */
export interface Text {
  bytes: Uint8Array;
  /** bytes.length, kept here: one load less per text written. */
  length: number;
  words: Int32Array;
  head: number;
  skip: number;
  /** The bytes after the indentation (from head + skip) as 32-bit words, for a spaced sink. */
  tailWords: Int32Array;
}

export function textOf(bytes: Uint8Array): Text {
  const words = wordsOf(bytes);
  const newline = bytes.indexOf(0x0a);
  let skip = 0;
  while (newline >= 0 && bytes[newline + 1 + skip] === 0x20) skip++;
  const head = newline + 1;
  return { bytes, length: bytes.length, words, head, skip, tailWords: wordsOf(bytes.subarray(head + skip)) };
}

function wordsOf(bytes: Uint8Array): Int32Array {
  const words = new Int32Array(bytes.length >> 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < words.length; i++) words[i] = view.getInt32(4 * i, true);
  return words;
}

/**
 * Writes a Text: into a spaced sink without its indentation (the spaces are there already),
 * else four bytes at a time (pretty keys run to 30 bytes and more with their indent).
 */
export function putText(sink: JsonSink, text: Text): void {
  const n = text.length;
  sink.reserve(n);
  if (sink.spaced && text.skip > 0) {
    const buf = sink.buf;
    const bytes = text.bytes;
    let p = sink.pos;
    for (let i = 0; i < text.head; i++) buf[p++] = bytes[i]!;
    p += text.skip;
    const view = sink.view();
    const tail = text.tailWords;
    for (let i = 0; i < tail.length; i++, p += 4) view.setInt32(p, tail[i]!, true);
    for (let i = text.head + text.skip + (tail.length << 2); i < n; i++) buf[p++] = bytes[i]!;
    sink.pos = p;
    return;
  }
  const view = sink.view();
  const words = text.words;
  let p = sink.pos;
  for (let i = 0; i < words.length; i++, p += 4) view.setInt32(p, words[i]!, true);
  const buf = sink.buf;
  const bytes = text.bytes;
  for (let i = words.length << 2; i < n; i++) buf[p++] = bytes[i]!;
  sink.pos = p;
}
