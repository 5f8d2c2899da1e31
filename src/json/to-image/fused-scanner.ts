import type { DescMessage } from "@bufbuild/protobuf";
import { fastDecoder } from "../../image/fast-decode";
import { IMG_COMMON, IMG_SERVICE, imageRowByName, type ImageRow } from "../../image/magic-table";
import { criuMessageSchema, criuRegistry } from "../../schema/registry";
import type { pipe_data_entry } from "../../schema/all";
import { writeInteger } from "./fused-numbers";
import { Kind, MAX_DEPTH, planFor, type CompiledMessage, type FieldPlan, type MessagePlan } from "./fused-plan";
import { writeBytes, writeEnum, writePayload, writeString } from "./fused-strings";
import { FusedCursor, GIVE_UP } from "./fused-tokens";
import { WireWriter } from "./wire-writer";
import { compiledMessage, countInterpreted, interpretedYet } from "./compile-encode";
import { parseIp } from "./read-scalar";
import { escapedBase64Length } from "../base64";


/** What the document's head says: the image type, and how to read its entries. */
export interface Head {
  row: ImageRow;
  head: MessagePlan;
  entry: MessagePlan;
  pipes: boolean;
}

/**
 * The document's structure: its head, the entries, objects with their keys in field order and
 * lists; each value handed to the reader of its kind (fused-numbers.ts, fused-strings.ts).
 */
export class Scanner extends FusedCursor {
  /** Messages open around the one being read. */
  depth = 0;

  /** Whether messages go through the code compiled for their type (false: the interpreter). */
  constructor(
    json: Uint8Array,
    readonly compiled = true,
  ) {
    super(json);
  }

  image(): Uint8Array {
    const head = this.head();
    // The image is a quarter to a third of plain JSON of messages, a tenth to a fourteenth of
    // pretty JSON (indentation), three quarters of base64: room enough not to grow (each growth
    // copies all written so far), and not so much that zeroing the buffer costs more than that.
    const pretty = this.s[1] === 0x0a;
    const w = (this.w = new WireWriter(Math.max(4096, Math.ceil(this.s.length * (head.pipes ? 0.76 : pretty ? 0.1 : 0.3)))));
    writeImageHeader(w, head.row);
    if (!this.empty(0x5d)) {
      let i = 0;
      do this.entry(head, i++);
      while (this.more(0x5d));
    } else if (head.row.payload === "pagemap") throw GIVE_UP; // no head entry: the object path's error
    this.end();
    // A view when at most half the buffer is unused; a copy otherwise.
    return w.pos >= w.buf.length * 0.5 ? w.buf.subarray(0, w.pos) : w.buf.slice(0, w.pos);
  }

  /** `{"magic": NAME, "entries": [`, up to the first entry (or the closing bracket). */
  head(): Head {
    this.ws();
    this.expect(0x7b);
    this.expectKey("magic");
    const magicAt = this.stringToken();
    const magic = this.latin1(magicAt, this.pos - 1);
    const row = imageRowByName(magic);
    if (!row || row.name !== magic || (row.payload !== "entry" && row.payload !== "pagemap" && row.payload !== "pipes-data")) throw GIVE_UP;
    this.ws();
    this.expect(0x2c);
    this.expectKey("entries");
    const schema = criuRegistry.getMessage(row.message) as DescMessage;
    const entry = planFor(row.payload === "pagemap" ? criuMessageSchema("pagemap_entry") : schema);
    const head = row.payload === "pagemap" ? planFor(criuMessageSchema("pagemap_head")) : entry;
    this.ws();
    this.expect(0x5b);
    this.ws();
    return { row, head, entry, pipes: row.payload === "pipes-data" };
  }

  /** One entry, written to `w` as `u32 size ‖ message` (and the payload for pipe data). */
  entry(head: Head, index: number): void {
    const w = this.w;
    const lengthAt = w.pos;
    w.u32le(0);
    this.messageAt = lengthAt + 4;
    const extra = this.message(index === 0 ? head.head : head.entry, head.pipes);
    w.u32le(w.pos - lengthAt - 4, lengthAt);
    if (head.pipes) this.pipeData(extra);
  }

  /** After the closing bracket: `}` and nothing but whitespace to the end. */
  end(): void {
    this.ws();
    this.expect(0x7d);
    this.ws();
    if (this.pos !== this.s.length) throw GIVE_UP;
  }

  /** The payload after a pipe_data_entry: its "extra", base64, as long as the entry says. */
  private pipeData(extra: number): void {
    if (extra < 0) throw GIVE_UP;
    // base64Token read the entry when it met "extra", the message's last key: the same bytes.
    const entry = this.pipe;
    this.pipe = undefined;
    if (!entry) throw GIVE_UP;
    const written = writePayload(this, extra + 1, this.extraEnd);
    if (written !== entry.bytes) throw GIVE_UP;
  }

  /** The pipe_data_entry written from messageAt to the output's end (undefined: not one). */
  private pipeEntry(messageAt: number): pipe_data_entry | undefined {
    return fastDecoder(criuMessageSchema("pipe_data_entry"))(this.w.buf, messageAt, this.w.pos) as pipe_data_entry | undefined;
  }

  /** Where the last "extra" string read by message() ends (its closing quote). */
  private extraEnd = 0;
  /** Where the message of the entry being read starts in the output. */
  private messageAt = 0;
  /** The pipe_data_entry base64Token read for the entry's payload, for pipeData. */
  private pipe: pipe_data_entry | undefined;

  /**
   * Steps over a string of base64 (a payload) and records its end: the first quote. Where crit's
   * layout puts it for the entry's `bytes` when the string is crit's, else found at memchr speed.
   * Were there an earlier quote, or were that one escaped, the string would hold a quote or end
   * in a backslash, which the decoder refuses; so would it anything else that is not base64 or
   * an escaped newline.
   */
  private base64Token(): void {
    if (this.s[this.pos] !== 0x22) throw GIVE_UP;
    const entry = (this.pipe = this.pipeEntry(this.messageAt));
    const expected = entry ? this.pos + 1 + escapedBase64Length(entry.bytes) : -1;
    // Past the JSON read so far: more is needed either way (the entry is cut, or it is not ours).
    if (expected >= this.s.length) throw GIVE_UP;
    const close = this.s[expected] === 0x22 ? expected : this.s.indexOf(0x22, this.pos + 1);
    if (close < 0) throw GIVE_UP;
    this.extraEnd = close;
    this.pos = close + 1;
  }

  /**
   * An object for `plan`, written as the message's fields. With `extra`, an "extra" key is
   * allowed after the fields; its value's offset is returned (-1 when absent). The code compiled
   * for the type (compile-encode.ts) where it can run, else the interpreter below.
   */
  message(plan: MessagePlan, extra = false): number {
    if (this.compiled) {
      if (interpretedYet(plan)) countInterpreted(plan);
      else {
        const compiled = plan.compiled === undefined ? compiledMessage(plan) : plan.compiled;
        if (compiled) return compiled(this, extra);
      }
    }
    return this.interpretMessage(plan, extra);
  }

  /**
   * The reader of field f's messages that compiled code calls directly: their type's compiled
   * code, or where there is none, message() (which then runs the interpreter). Kept on the plan
   * once the type has compiled code (or cannot have it); until then message(), asked again.
   */
  subReader(f: FieldPlan): CompiledMessage {
    const plan = (f.subPlan ??= f.sub!());
    if (interpretedYet(plan)) return (plan.viaInterpreter ??= (sc, extra) => (sc as Scanner).message(plan, extra));
    const compiled = plan.compiled === undefined ? compiledMessage(plan) : plan.compiled;
    if (compiled) plan.callers.push(f);
    return (f.subRead = compiled ?? ((sc, extra) => (sc as Scanner).message(plan, extra)));
  }

  private interpretMessage(plan: MessagePlan, extra: boolean): number {
    this.ws();
    this.expect(0x7b);
    this.ws();
    const fields = plan.fields;
    let next = 0;
    let extraAt = -1;
    if (!this.empty(0x7d)) {
      do {
        if (extraAt >= 0) throw GIVE_UP; // "extra" comes last
        // Keys come in field order: the next field present is the one whose key is here. A
        // field key's bytes hold no quote or backslash, so its bytes then a quote are the key.
        let i = next;
        while (i < fields.length && !this.keyHere(fields[i]!.key)) {
          if (fields[i]!.required) throw GIVE_UP;
          i++;
        }
        if (i < fields.length) {
          this.pos += fields[i]!.key.length + 2;
          this.ws();
          this.expect(0x3a);
          this.ws();
          this.field(fields[i]!);
          next = i + 1;
          continue;
        }
        extraAt = this.otherKey(extra);
      } while (this.more(0x7d));
    }
    for (let i = next; i < fields.length; i++) if (fields[i]!.required) throw GIVE_UP;
    return extraAt;
  }

  /**
   * A key that is not one of the fields still to come: "extra" where allowed (its value's offset
   * is returned, the value stepped over); anything else (an unknown key, a lossless form, keys
   * out of order) leaves the fast path.
   */
  otherKey(extra: boolean): number {
    const keyStart = this.key();
    if (!extra || !this.isKey(keyStart, this.keyEnd, "extra")) throw GIVE_UP;
    const at = this.pos;
    this.base64Token();
    return at;
  }

  private field(f: FieldPlan): void {
    if (!f.repeated) return this.value(f);
    this.expect(0x5b);
    this.ws();
    if (this.empty(0x5d)) return;
    if (f.opts?.ipadd && this.s[this.pos] === 0x22) return this.ipList(f);
    do this.value(f);
    while (this.more(0x5d));
  }

  /** crit's text form of an address: one string in the list, written as its words. */
  ipList(f: FieldPlan): void {
    const start = this.stringToken();
    const text = this.text(start, this.pos - 1);
    this.ws();
    this.expect(0x5d);
    let words: number[];
    try {
      words = parseIp(text);
    } catch {
      throw GIVE_UP;
    }
    for (const word of words) {
      this.w.bytes(f.tag);
      this.w.varint32(word);
    }
  }

  private value(f: FieldPlan): void {
    switch (f.kind) {
      case Kind.Message: {
        // Recursive messages (cgroup directories) could nest past the stack: the parser says so.
        if (++this.depth > MAX_DEPTH) throw GIVE_UP;
        const w = this.w;
        w.bytes(f.tag);
        const at = w.beginLength();
        this.message((f.subPlan ??= f.sub!()));
        w.endLength(at);
        this.depth--;
        return;
      }
      case Kind.Bool: {
        const s = this.s;
        let v: number;
        if (s[this.pos] === 0x74 && s[this.pos + 1] === 0x72 && s[this.pos + 2] === 0x75 && s[this.pos + 3] === 0x65) {
          v = 1;
          this.pos += 4;
        } else if (s[this.pos] === 0x66 && s[this.pos + 1] === 0x61 && s[this.pos + 2] === 0x6c && s[this.pos + 3] === 0x73 && s[this.pos + 4] === 0x65) {
          v = 0;
          this.pos += 5;
        } else throw GIVE_UP;
        this.w.bytes(f.tag);
        this.w.varint32(v);
        return;
      }
      case Kind.Enum:
        return writeEnum(this, f);
      case Kind.String:
        return writeString(this, f);
      case Kind.Bytes:
        return writeBytes(this, f);
      case Kind.Int:
        return writeInteger(this, f);
    }
  }
}

export function writeImageHeader(w: WireWriter, row: ImageRow): void {
  if (row.header === "common") w.u32le(IMG_COMMON);
  else if (row.header === "service") w.u32le(IMG_SERVICE);
  w.u32le(row.value);
}
