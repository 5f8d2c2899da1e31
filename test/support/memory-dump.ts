// Sources for the memory tests: a fixture directory loaded into sourceFromFiles (optionally under
// a prefix, as in an archive), a stream-only source with chosen chunk sizes, and synthetic dumps
// (pstree + pagemap + pages) built with our own encoder.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { pagemap_entrySchema, pagemap_headSchema } from "../../src/gen/pagemap_pb";
import { pstree_entrySchema } from "../../src/gen/pstree_pb";
import { encodeImage } from "../../src/image/encode";
import type { AnyImage } from "../../src/image/entries";
import { PE_LAZY, PE_PARENT, PE_PRESENT } from "../../src/image/pages";
import { sourceFromFiles } from "../../src/source/files";
import type { CheckpointSource } from "../../src/source/source";

/** The regular files of `dir` (not its subfolders or links), as members named `prefix + name`. */
export function filesOfDir(dir: string, prefix = ""): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const name of readdirSync(dir).sort()) {
    if (statSync(join(dir, name)).isFile()) files.set(prefix + name, new Uint8Array(readFileSync(join(dir, name))));
  }
  return files;
}

export function sourceFromDir(dir: string, prefix = ""): CheckpointSource {
  return sourceFromFiles(filesOfDir(dir, prefix), dir);
}

/**
 * Like sourceFromFiles but without random access: readRanges and stream both go through the
 * members in order, in chunks whose sizes cycle through `chunkSizes`.
 */
export function streamingSource(files: ReadonlyMap<string, Uint8Array>, chunkSizes: readonly number[]): CheckpointSource {
  const base = sourceFromFiles(files, "<stream>");
  let k = 0;
  return {
    ...base,
    format: "stream",
    randomAccess: false,
    async stream(names, onChunk, signal) {
      const wanted = new Set(names);
      for (const [name, bytes] of files) {
        if (!wanted.has(name)) continue;
        for (let at = 0; at < bytes.length; ) {
          if (signal?.aborted) return;
          const size = Math.max(1, chunkSizes[k++ % chunkSizes.length]!);
          // A copy, so that a reader keeping the chunk past the callback would see it change.
          const chunk = bytes.slice(at, at + size);
          await onChunk(name, at, chunk);
          chunk.fill(0xee);
          at += size;
        }
      }
    },
  };
}

export type RunKind = "present" | "lazy" | "parent" | "lazy-only";

/** One pagemap entry of a synthetic task: pages at `page` (page number), `bytes` when it has data in this dump. */
export interface SyntheticRun {
  page: number;
  nrPages: number;
  kind: RunKind;
}

export const PAGE = 4096;

const FLAGS: Record<RunKind, number> = { present: PE_PRESENT, lazy: PE_PRESENT | PE_LAZY, parent: PE_PARENT, "lazy-only": PE_LAZY };

/**
 * The files of a dump with tasks `pids` (pid i has pages_id i + 1); `content(pid, address)` gives
 * the page bytes of the present runs.
 */
export function syntheticDump(
  tasks: ReadonlyMap<number, readonly SyntheticRun[]>,
  content: (pid: number, page: number) => Uint8Array,
): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const pids = [...tasks.keys()];
  const pstree = pids.map((pid, i) => create(pstree_entrySchema, { pid, ppid: i === 0 ? 0 : pids[0]!, pgid: pids[0]!, sid: pids[0]!, threads: [pid] }));
  files.set("pstree.img", encodeImage({ magic: "PSTREE", entries: pstree } as unknown as AnyImage));
  pids.forEach((pid, i) => {
    const runs = tasks.get(pid)!;
    const entries = runs.map((r) => create(pagemap_entrySchema, { vaddr: BigInt(r.page * PAGE), compatNrPages: 0, nrPages: BigInt(r.nrPages), flags: FLAGS[r.kind] }));
    const head = create(pagemap_headSchema, { pagesId: i + 1 });
    files.set(`pagemap-${pid}.img`, encodeImage({ magic: "PAGEMAP", entries: [head, ...entries] } as unknown as AnyImage));
    const pages: Uint8Array[] = [];
    for (const r of runs) if (r.kind === "present" || r.kind === "lazy") for (let p = 0; p < r.nrPages; p++) pages.push(content(pid, r.page + p));
    const all = new Uint8Array(pages.length * PAGE);
    pages.forEach((page, k) => all.set(page, k * PAGE));
    files.set(`pages-${i + 1}.img`, all);
  });
  return files;
}
