// A CheckpointSource over bytes already in memory, keyed by member name: tests, and callers that
// have unpacked an archive themselves.

import { SourceError, type CheckpointSource, type MemberInfo, type RangeRequest } from "./source";

const CHUNK = 1 << 20;

export function sourceFromFiles(
  files: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>,
  label = "<memory>",
): CheckpointSource {
  const map = new Map(files instanceof Map ? files : Object.entries(files));
  const get = (name: string): Uint8Array => {
    const bytes = map.get(name);
    if (bytes === undefined) throw new SourceError("missing-member", label, "no such member", name);
    return bytes;
  };
  return {
    label,
    format: "files",
    randomAccess: true,
    members: async (): Promise<MemberInfo[]> => [...map].map(([name, bytes]) => ({ name, size: bytes.length, type: "file" })),
    read: async (name) => get(name),
    readRanges: async (requests: readonly RangeRequest[]) =>
      requests.map(({ name, offset, length }) => {
        const bytes = get(name);
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
          throw new SourceError("out-of-range", label, `range of ${length} bytes past the end (${bytes.length} bytes)`, name, offset);
        }
        return bytes.subarray(offset, offset + length);
      }),
    async stream(names, onChunk, signal) {
      const wanted = new Set(names);
      for (const [name, bytes] of map) {
        if (!wanted.has(name)) continue;
        for (let at = 0; at < bytes.length; at += CHUNK) {
          if (signal?.aborted) return;
          await onChunk(name, at, bytes.subarray(at, Math.min(bytes.length, at + CHUNK)));
        }
      }
    },
    close: async () => {},
  };
}
