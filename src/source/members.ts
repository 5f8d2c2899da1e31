// What every archive-like source shares: finding a member by name (the last of a name wins, as
// with tar), checking a range against it, and the chunk size of stream().

import { SourceError, type MemberInfo, type RangeRequest } from "./source";

/** stream() hands out chunks of at most this many bytes. */
export const STREAM_CHUNK = 1 << 20;

export interface MemberIndex<M extends MemberInfo> {
  /** The member, which must be a regular file; SourceError "missing-member" otherwise. */
  file(name: string): M;
  has(name: string): boolean;
}

export function memberIndex<M extends MemberInfo>(members: readonly M[], label: string): MemberIndex<M> {
  const byName = new Map<string, M>();
  for (const m of members) byName.set(m.name, m);
  return {
    has: (name) => byName.has(name),
    file(name) {
      const m = byName.get(name);
      if (m === undefined) throw new SourceError("missing-member", label, "no such member", name);
      if (m.type !== "file") throw new SourceError("missing-member", label, `not a regular file (a ${m.type})`, name);
      return m;
    },
  };
}

/** The request, when it lies inside the member; SourceError "out-of-range" otherwise. */
export function checkRange(request: RangeRequest, member: MemberInfo, label: string): RangeRequest {
  const { offset, length } = request;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > member.size) {
    throw new SourceError("out-of-range", label, `range of ${length} bytes at ${offset} is not inside the member (${member.size} bytes)`, request.name, offset);
  }
  return request;
}

/** A member as the interface gives it (without where it lies in the archive). */
export function publicInfo(m: MemberInfo): MemberInfo {
  const info: MemberInfo = { name: m.name, size: m.size, type: m.type };
  if (m.linkTarget !== undefined) info.linkTarget = m.linkTarget;
  return info;
}
