// argv and environment of every task, read from its memory pages: mm_arg_start..mm_arg_end and
// mm_env_start..mm_env_end (mm-PID.img) located through the pagemap (pagemap-PID.img) in
// pages-<pages_id>.img. All ranges of all tasks go to the source in ONE readRanges call, so a
// compressed archive is decompressed once. This module is the only place the model reads memory
// and is meant to give way to the shared memory reader (src/checkpoint/memory/), which also
// follows pre-dump parents; pages held only in a parent dump are a warning here.

import { concatBytes } from "../../image/bytes";
import { pagemapLayout, type PageRun } from "../../image/pages";
import type { RangeRequest } from "../../source/source";
import { errorText, type CheckpointWarning } from "./errors";
import type { ImageSet } from "./image-set";

/** Larger argument or environment blocks than this are cut (Linux's own limit is similar). */
const MAX_BLOCK = 4 << 20;
const PAGE_SIZE = 4096;

export interface TaskStrings {
  argv: string[] | undefined;
  environ: string[] | undefined;
}

interface Region {
  pid: number;
  what: "argv" | "environ";
  start: bigint;
  end: bigint;
}

/** argv and environment of each pid asked; a task whose memory cannot be read gets undefined and a warning. */
export async function readTaskStrings(images: ImageSet, pids: readonly number[], warnings: CheckpointWarning[]): Promise<Map<number, TaskStrings>> {
  const out = new Map<number, TaskStrings>();
  const plans: { region: Region; requests: RangeRequest[] }[] = [];
  for (const pid of pids) {
    out.set(pid, { argv: undefined, environ: undefined });
    const mm = images.first(`mm-${pid}.img`, "MM");
    const pagemap = images.entries(`pagemap-${pid}.img`, "PAGEMAP");
    if (!mm || !pagemap) continue;
    const head = pagemap[0];
    if (!head || head.$typeName !== "pagemap_head") continue;
    let runs: PageRun[];
    try {
      runs = pagemapLayout(pagemap, PAGE_SIZE, `pagemap-${pid}.img`);
    } catch (err) {
      warnings.push({ member: images.dir + `pagemap-${pid}.img`, pid, message: errorText(err) });
      continue;
    }
    const pages = `pages-${head.pagesId}.img`;
    for (const region of [
      { pid, what: "argv", start: mm.mmArgStart, end: mm.mmArgEnd },
      { pid, what: "environ", start: mm.mmEnvStart, end: mm.mmEnvEnd },
    ] as Region[]) {
      const planned = plan(runs, region, images.dir + pages, images.sizes.get(pages));
      if (typeof planned === "string") warnings.push({ member: images.dir + `pagemap-${pid}.img`, pid, message: planned });
      else plans.push({ region, requests: planned });
    }
  }
  const requests = plans.flatMap((p) => p.requests);
  let bytes: Uint8Array[];
  try {
    bytes = requests.length === 0 ? [] : await images.source.readRanges(requests);
  } catch (err) {
    warnings.push({ member: requests[0]?.name ?? "", message: `reading argv and environment: ${errorText(err)}` });
    return out;
  }
  let at = 0;
  for (const { region, requests: reqs } of plans) {
    const block = concatBytes(bytes.slice(at, at + reqs.length));
    at += reqs.length;
    const strings = out.get(region.pid)!;
    if (region.what === "argv") strings.argv = splitArgv(block);
    else strings.environ = splitEnviron(block);
  }
  return out;
}

/** The page-file ranges holding [start, end), or why they cannot be read. */
function plan(runs: readonly PageRun[], region: Region, pagesMember: string, pagesSize: number | undefined): RangeRequest[] | string {
  const { start, what } = region;
  let end = region.end;
  if (end < start) return `${what}: mm ${what === "argv" ? "arg" : "env"} end 0x${end.toString(16)} before its start 0x${start.toString(16)}`;
  if (end - start > BigInt(MAX_BLOCK)) end = start + BigInt(MAX_BLOCK);
  const requests: RangeRequest[] = [];
  let addr = start;
  const size = BigInt(PAGE_SIZE);
  let i = 0;
  while (addr < end) {
    while (i < runs.length && runs[i]!.vaddr + runs[i]!.nrPages * size <= addr) i++;
    const run = runs[i];
    if (!run || run.vaddr > addr) return `${what}: address 0x${addr.toString(16)} is not in the dump's pages`;
    if (!run.present) return `${what}: address 0x${addr.toString(16)} is ${run.inParent ? "in the parent dump's pages" : "not present (lazy)"}`;
    const runEnd = run.vaddr + run.nrPages * size;
    const stop = end < runEnd ? end : runEnd;
    const offset = Number(run.pagesOffset! + (addr - run.vaddr));
    const length = Number(stop - addr);
    if (pagesSize !== undefined && offset + length > pagesSize) return `${what}: ${pagesMember} ends at ${pagesSize}, before offset ${offset + length}`;
    requests.push({ name: pagesMember, offset, length });
    addr = stop;
  }
  return requests;
}


const utf8 = new TextDecoder("utf-8");

/** NUL-separated arguments; the final NUL ends the last one rather than starting an empty one. */
export function splitArgv(block: Uint8Array): string[] {
  const text = utf8.decode(block);
  const parts = text.split("\0");
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** NUL-separated entries in memory order, empty ones dropped (the block's end padding). */
export function splitEnviron(block: Uint8Array): string[] {
  return utf8.decode(block).split("\0").filter((s) => s !== "");
}
