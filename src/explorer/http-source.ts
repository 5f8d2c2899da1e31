// A CheckpointSource over HTTP, for the page that `crit explore DUMP` serves: the server lists the
// members at BASE/members and serves each at BASE/member/NAME with Range requests, so the page
// reads only what it shows; stream() asks for whole members, which the server streams in one
// pass (a range is one pass of the server over a compressed archive: a 2 GiB pages image read
// in 4 MiB ranges was 512 passes).

import { SourceError, type CheckpointSource, type MemberInfo, type RangeRequest } from "../index";

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
        if (signal?.aborted) return;
        if (!sizes.has(name)) throw new SourceError("missing-member", label, "no such member", name);
        await streamMember(url(name), name, label, sizes.get(name)!, onChunk, signal);
      }
    },
    close: async () => {},
  };
}

/** One member's bytes as the response brings them; stops (without error) when `signal` aborts. */
async function streamMember(
  url: string,
  name: string,
  label: string,
  size: number,
  onChunk: (name: string, offset: number, chunk: Uint8Array) => void | Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  let at = 0;
  try {
    const response = await fetch(url, signal ? { signal } : {});
    if (!response.ok || !response.body) throw new SourceError("io", label, `the server answered ${response.status}`, name, 0);
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.length === 0) continue;
        await onChunk(name, at, value);
        at += value.length;
        if (signal?.aborted) return;
      }
    } finally {
      reader.releaseLock();
    }
  } catch (err) {
    if (signal?.aborted) return;
    if (err instanceof SourceError) throw err;
    throw new SourceError("io", label, `the server's stream broke off (${(err as Error).message})`, name, at);
  }
  if (at !== size) throw new SourceError("truncated", label, `the server sent ${at} of ${size} bytes`, name, at);
}
