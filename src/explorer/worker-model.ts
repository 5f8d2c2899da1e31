// The worker's answers that come from the checkpoint model and the memory reader: tasks, files,
// namespaces, memory maps, memory bytes and search.

import {
  describeFile,
  openMemoryDump,
  openTaskMemory,
  searchMemory,
  type Checkpoint,
  type CheckpointSource,
  type Mapping,
  type MemoryDump,
  type SearchPattern,
  type TaskMemory,
} from "../index";
import type { HitRow, MapRow, MemoryBytes, SearchRequest, TaskRow } from "./protocol";

/** The largest read the hex viewer may ask for at once. */
const MAX_READ = 1 << 20;

export class ModelAnswers {
  private dump: Promise<MemoryDump> | undefined;
  private readonly memories = new Map<number, Promise<TaskMemory>>();

  constructor(
    private readonly source: CheckpointSource,
    readonly checkpoint: Checkpoint | undefined,
    readonly error: string | undefined,
  ) {}

  tasks(): TaskRow[] {
    return this.model().tasks.map(({ children, fds, ...task }) => ({
      ...task,
      children: children.map((c) => c.pid),
      fds: fds.map((fd) => ({ ...fd, what: describeFile(fd.file) })),
    }));
  }

  namespaces() {
    const { mountNamespaces, netNamespaces } = this.model();
    return { mountNamespaces, netNamespaces };
  }

  async maps(pid: number): Promise<MapRow[]> {
    const memory = await this.memory(pid);
    const resident = new Map(this.model().tasks.find((t) => t.pid === pid)?.memoryMaps.map((m) => [m.start, m.residentPages]) ?? []);
    return memory.mappings.map((m: Mapping) => ({
      start: m.start,
      end: m.end,
      protection: m.protection,
      shared: m.shared,
      kind: m.kind,
      ...(m.path === undefined ? {} : { path: m.path }),
      residentPages: resident.get(m.start) ?? 0,
    }));
  }

  async read(pid: number, address: bigint, length: number): Promise<MemoryBytes> {
    const got = await (await this.memory(pid)).readWithGaps(address, Math.max(0, Math.min(length, MAX_READ)));
    return { address, bytes: got.bytes, missing: got.missing };
  }

  async search(request: SearchRequest, pids: number[] | undefined, context: number, signal: AbortSignal, progress: (done: number, total: number) => void) {
    const pattern: SearchPattern = request;
    const hits: HitRow[] = [];
    const summary = await searchMemory(
      await this.memoryDump(),
      pattern,
      (hit) => {
        const m = hit.mapping;
        hits.push({
          pid: hit.pid,
          address: hit.address,
          mapping: m ? `${m.path ?? m.kind} ${m.protection} +0x${(hit.offsetInMapping ?? 0n).toString(16)}` : "(no mapping)",
          match: hit.match,
          before: hit.before,
          after: hit.after,
        });
      },
      { ...(pids ? { pids } : {}), context, signal, onProgress: (p) => progress(p.done, p.total) },
    );
    return { hits, bytes: summary.bytes, cancelled: signal.aborted, skipped: summary.skipped };
  }

  private model(): Checkpoint {
    if (!this.checkpoint) throw new Error(this.error ?? "this is not a CRIU checkpoint");
    return this.checkpoint;
  }

  private memoryDump(): Promise<MemoryDump> {
    return (this.dump ??= openMemoryDump(this.source));
  }

  private memory(pid: number): Promise<TaskMemory> {
    let m = this.memories.get(pid);
    if (!m) {
      m = this.memoryDump().then((dump) => openTaskMemory(dump, pid));
      this.memories.set(pid, m);
    }
    return m;
  }
}
