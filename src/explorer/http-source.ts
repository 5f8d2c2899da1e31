// A CheckpointSource over HTTP, for the page that `crit explore DUMP` serves: the server lists the
// members at BASE/members and serves each at BASE/member/NAME with Range requests, so the page
// reads only what it shows.

import { SourceError, type CheckpointSource, type MemberInfo, type RangeRequest } from "../index";

const CHUNK = 4 << 20;

export async function sourceFromHttp(base: string, label: string): Promise<CheckpointSource> {
  const listing = await fetch(`${base}/members`);
  if (!listing.ok) throw new SourceError("io", label, `the server answered ${listing.status} for the member list`);
  const members = (await listing.json()) as MemberInfo[];
  const sizes = new Map(members.map((m) => [m.name, m.size]));
  const url = (name: string) => `${base}/member/${name.split("/").map(encodeURIComponent).join("/")}`;
  const get = async (name: string, offset?: number, length?: number): Promise<Uint8Array> => {
    const size = sizes.get(name);
    if (size === undefined) throw new SourceError("missing-member", label, "no such member", name);
    if (offset !== undefined && length !== undefined) {
      if (offset < 0 || length < 0 || offset + length > size) {
        throw new SourceError("out-of-range", label, `range of ${length} bytes past the end (${size} bytes)`, name, offset);
      }
      if (length === 0) return new Uint8Array(0);
    }
    const headers: Record<string, string> = offset === undefined ? {} : { Range: `bytes=${offset}-${offset + length! - 1}` };
    const response = await fetch(url(name), { headers });
    if (!response.ok) throw new SourceError("io", label, `the server answered ${response.status}`, name, offset);
    return new Uint8Array(await response.arrayBuffer());
  };
  return {
    label,
    format: "http",
    randomAccess: true,
    members: async () => members,
    read: (name) => get(name),
    readRanges: (requests: readonly RangeRequest[]) => Promise.all(requests.map((r) => get(r.name, r.offset, r.length))),
    async stream(names, onChunk, signal) {
      for (const name of names) {
        const size = sizes.get(name) ?? 0;
        for (let at = 0; at < size; at += CHUNK) {
          if (signal?.aborted) return;
          await onChunk(name, at, await get(name, at, Math.min(CHUNK, size - at)));
        }
      }
    },
    close: async () => {},
  };
}
