// Helpers for source tests: everything a CheckpointSource holds, read the three ways it offers.

import type { CheckpointSource, MemberInfo } from "../../src/source/source";

export interface SourceContents {
  members: readonly MemberInfo[];
  files: Map<string, Uint8Array>;
}

/** Every member, and every regular file's bytes read whole. */
export async function contentsOf(source: CheckpointSource): Promise<SourceContents> {
  const members = await source.members();
  const files = new Map<string, Uint8Array>();
  for (const m of members) if (m.type === "file") files.set(m.name, (await source.read(m.name)).slice());
  return { members, files };
}

/** Every regular file's bytes gathered from one stream() pass, checking that chunks come in order. */
export async function streamed(source: CheckpointSource, names?: readonly string[]): Promise<Map<string, Uint8Array>> {
  const members = await source.members();
  const wanted = names ?? members.filter((m) => m.type === "file").map((m) => m.name);
  const parts = new Map<string, Buffer[]>(wanted.map((name) => [name, []]));
  const sizes = new Map<string, number>();
  await source.stream(wanted, (name, offset, chunk) => {
    const got = sizes.get(name) ?? 0;
    if (offset !== got) throw new Error(`${name}: chunk at ${offset}, expected ${got}`);
    parts.get(name)!.push(Buffer.from(chunk)); // a copy: the chunk is valid only during the call
    sizes.set(name, got + chunk.length);
  });
  return new Map([...parts].map(([name, list]) => [name, new Uint8Array(Buffer.concat(list))]));
}

/** The same names with the same bytes (compared as buffers: deep equality of large arrays is slow). */
export function sameFiles(got: ReadonlyMap<string, Uint8Array>, want: ReadonlyMap<string, Uint8Array>): string[] {
  const problems: string[] = [];
  const names = new Set([...got.keys(), ...want.keys()]);
  for (const name of names) {
    const a = got.get(name);
    const b = want.get(name);
    if (a === undefined || b === undefined) problems.push(`${name}: ${a === undefined ? "missing" : "unexpected"}`);
    else if (!Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length))) problems.push(`${name}: bytes differ`);
  }
  return problems;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** A web stream handing out `bytes` in chunks of the given sizes (cycled). */
export function chunkedStream(bytes: Uint8Array, sizes: readonly number[]): ReadableStream<Uint8Array> {
  let at = 0;
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const size = Math.max(1, sizes[i++ % sizes.length]!);
      controller.enqueue(bytes.slice(at, (at += size)));
    },
  });
}

/** Everything a source gives, read every way; throws what the source throws. */
export async function readEverything(open: () => Promise<CheckpointSource>): Promise<SourceContents> {
  const source = await open();
  try {
    const contents = await contentsOf(source);
    await streamed(source);
    return contents;
  } finally {
    await source.close();
  }
}
