// A CheckpointSource over Blobs: the files of a folder the user picked in a browser
// (<input type=file webkitdirectory>, or dropped), or any list of named Blobs. Reads go through
// Blob.slice, so nothing is held in memory but what is asked for.

import { chunkRanges, streamAhead } from "./read-ahead";
import { SourceError, type CheckpointSource, type MemberInfo, type RangeRequest } from "./source";

/** A named Blob; `name` is the path inside the picked folder, '/'-separated. */
export interface NamedBlob {
  name: string;
  blob: Blob;
}

const CHUNK = 4 << 20;

/**
 * The source over `files`. When every name starts with the same folder (a browser's
 * webkitRelativePath does: "images/core-1.img"), that folder is taken off, so that members are
 * named as in a dump directory.
 */
export function sourceFromBlobs(files: readonly NamedBlob[], label = "<files>"): CheckpointSource {
  const byName = new Map<string, Blob>();
  for (const { name, blob } of stripCommonFolder(files)) byName.set(name, blob);
  const get = (name: string): Blob => {
    const blob = byName.get(name);
    if (blob === undefined) throw new SourceError("missing-member", label, "no such member", name);
    return blob;
  };
  const bytesOf = async (name: string, blob: Blob, offset: number): Promise<Uint8Array> => {
    try {
      return new Uint8Array(await blob.arrayBuffer());
    } catch (err) {
      throw new SourceError("io", label, `the browser refused the read (${(err as Error).message})`, name, offset);
    }
  };
  return {
    label,
    format: "files",
    randomAccess: true,
    members: async (): Promise<MemberInfo[]> => [...byName].map(([name, blob]) => ({ name, size: blob.size, type: "file" })),
    read: async (name) => bytesOf(name, get(name), 0),
    readRanges: (requests: readonly RangeRequest[]) =>
      Promise.all(
        requests.map(({ name, offset, length }) => {
          const blob = get(name);
          if (offset < 0 || length < 0 || offset + length > blob.size) {
            throw new SourceError("out-of-range", label, `range of ${length} bytes past the end (${blob.size} bytes)`, name, offset);
          }
          return bytesOf(name, blob.slice(offset, offset + length), offset);
        }),
      ),
    async stream(names, onChunk, signal) {
      const ranges = chunkRanges(names.map((name) => ({ name, size: get(name).size })), CHUNK);
      await streamAhead(ranges, (r) => bytesOf(r.name, get(r.name).slice(r.at, r.at + r.length), r.at), onChunk, signal);
    },
    close: async () => {},
  };
}

function stripCommonFolder(files: readonly NamedBlob[]): NamedBlob[] {
  const normal = files.map(({ name, blob }) => ({ name: name.replace(/^\.?\/+/, ""), blob }));
  const first = normal[0]?.name.split("/")[0];
  if (first === undefined || !normal.every((f) => f.name.startsWith(`${first}/`))) return normal;
  return normal.map(({ name, blob }) => ({ name: name.slice(first.length + 1), blob }));
}
