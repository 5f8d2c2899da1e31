// The members of a tar archive that is itself a member of a source (a Podman checkpoint's
// rootfs-diff.tar: what the container added or changed), read from its headers with the same tar
// walk as the archives themselves: ranged reads where the source has random access, otherwise one
// streaming pass whose data is skipped.

import { inputFromChunks, inputFromReadAt } from "./byte-input";
import { publicInfo } from "./members";
import type { CheckpointSource, MemberInfo } from "./source";
import { walkTar } from "./tar-walk";

export async function listNestedTar(source: CheckpointSource, member: MemberInfo): Promise<MemberInfo[]> {
  const input = source.randomAccess
    ? inputFromReadAt(async (offset, length) => (await source.readRanges([{ name: member.name, offset, length }]))[0]!, member.size)
    : inputFromChunks(memberChunks(source, member.name));
  const out: MemberInfo[] = [];
  await walkTar(input, `${source.label}: ${member.name}`, (m) => void out.push(publicInfo(m)));
  return out;
}

/**
 * A member's bytes as an async sequence, from source.stream(): each chunk is handed over and the
 * pass waits until the next one is asked for (a chunk is valid only until its callback settles).
 * Returning early (the walk stopped) aborts the pass.
 */
async function* memberChunks(source: CheckpointSource, name: string): AsyncGenerator<Uint8Array> {
  const stop = new AbortController();
  let handOver: ((chunk: Uint8Array | undefined) => void) | undefined;
  let next = new Promise<Uint8Array | undefined>((resolve) => (handOver = resolve));
  let taken: (() => void) | undefined;
  const pass = source
    .stream(
      [name],
      (_, __, chunk) =>
        new Promise<void>((resolve) => {
          taken = resolve;
          handOver!(chunk);
        }),
      stop.signal,
    )
    .then(() => handOver!(undefined));
  try {
    for (;;) {
      const chunk = await Promise.race([next, pass.then(() => next)]);
      if (chunk === undefined) break;
      next = new Promise((resolve) => (handOver = resolve));
      yield chunk;
      taken?.();
    }
    await pass;
  } finally {
    stop.abort();
    taken?.();
  }
}
