// A CPU profile of the explorer opening a checkpoint archive (`node --import tsx
// bench/explorer-profile.ts [ARCHIVE]`): the page's main thread and its Web Worker, each through
// the Chrome DevTools Protocol (the worker through Target.setAutoAttach on the page's session,
// non-flat, so playwright's CDPSession can talk to it). Prints per-phase wall times (pick to
// process tree, then a whole-memory search when BENCH_PROFILE_NEEDLE is set) and the top
// self-time functions of each thread (`--show FILE.cpuprofile...` prints them again); writes the .cpuprofile files next to the archive (open
// them in Chrome's DevTools). Without ARCHIVE it makes one (BENCH_CHECKPOINT_GIB, 0.25 GiB).
// BENCH_PROFILE_SERVED=1 opens the archive through `crit explore ARCHIVE` instead of the file input.

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CDPSession, Page } from "playwright-core";
import { SourceMapConsumer, type RawSourceMap } from "source-map-js";
import { repoRoot } from "./paths";
import { chromiumPath, launch, withExplorer } from "../test/explorer/browser";
import { prepareCheckpointArchives } from "./checkpoint-archive";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The worker's session: commands sent through Target.sendMessageToTarget, answers matched by id. */
class WorkerSession {
  private next = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();
  constructor(
    private readonly page: CDPSession,
    readonly sessionId: string,
  ) {}
  receive(message: string): void {
    const m = JSON.parse(message) as { id?: number; result?: unknown; error?: unknown };
    if (m.id !== undefined) this.waiting.get(m.id)?.(m.result ?? m.error);
  }
  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.next++;
    const answered = new Promise<T>((resolve) => this.waiting.set(id, resolve as (r: unknown) => void));
    void this.page.send("Target.sendMessageToTarget", { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) });
    return answered;
  }
}

async function attachWorker(session: CDPSession): Promise<WorkerSession> {
  const attached = new Promise<WorkerSession>((resolve) => {
    session.on("Target.attachedToTarget", (e) => {
      if (e.targetInfo.type !== "worker") return;
      const worker = new WorkerSession(session, e.sessionId);
      session.on("Target.receivedMessageFromTarget", (m) => m.sessionId === e.sessionId && worker.receive(m.message));
      resolve(worker);
    });
  });
  await session.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  return attached;
}

/** CPU seconds (user + system) of chromium's renderer processes so far: wall time on a shared machine says little. */
export function rendererCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=renderer")) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100;
}

const maps = new Map<string, SourceMapConsumer | undefined>();

/** The bundle's source map (dist/explorer/NAME.map), to name minified functions by their source. */
function sourceMap(file: string): SourceMapConsumer | undefined {
  if (!maps.has(file)) {
    const path = join(repoRoot, "dist", "explorer", `${file}.map`);
    maps.set(file, existsSync(path) && file.endsWith(".js") ? new SourceMapConsumer(JSON.parse(readFileSync(path, "utf8")) as RawSourceMap) : undefined);
  }
  return maps.get(file);
}

/** Where a sampled frame is in the sources: the function's original name, file and line when the bundle has a map. */
function place(f: ProfileNode["callFrame"]): string {
  const file = f.url.split("/").pop() ?? "";
  const original = f.lineNumber < 0 ? undefined : sourceMap(file)?.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
  if (!original?.source) return `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
  return `${original.name ?? f.functionName} ${original.source.replace(/^(\.\.\/)+/, "")}:${original.line}`;
}

/** The functions with the most self time, in ms, with their file and line. */
export function topSelf(profile: Profile, count = 15): { ms: number; fn: string }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const key = place(byId.get(id)!.callFrame);
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, count).map(([fn, ms]) => ({ ms: Math.round(ms), fn }));
}

async function profiled(page: Page, run: () => Promise<Record<string, number>>): Promise<{ phases: Record<string, number>; main: Profile; worker: Profile }> {
  const session = await page.context().newCDPSession(page);
  const worker = await attachWorker(session);
  const both = (method: string, params: object = {}) => Promise.all([session.send(method as "Profiler.enable", params), worker.send(method, params)]);
  await both("Profiler.enable");
  await both("Profiler.setSamplingInterval", { interval: 500 });
  await both("Profiler.start");
  const phases = await run();
  const main = (await session.send("Profiler.stop")).profile as unknown as Profile;
  const workerProfile = (await worker.send<{ profile: Profile }>("Profiler.stop")).profile;
  return { phases, main, worker: workerProfile };
}

function printTop(name: string, p: Profile): void {
  console.log(`${name}: ${((p.endTime - p.startTime) / 1e6).toFixed(1)} s profiled`);
  for (const { ms, fn } of topSelf(p, 20)) console.log(`  ${String(ms).padStart(7)} ms  ${fn}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === "--show") {
    for (const f of process.argv.slice(3)) printTop(f, JSON.parse(readFileSync(f, "utf8")) as Profile);
    return;
  }
  const browserPath = chromiumPath();
  if (!browserPath) throw new Error("no chromium (apt-get install chromium, or set CHROMIUM_PATH)");
  let file = process.argv[2];
  let needle = process.env.BENCH_PROFILE_NEEDLE;
  if (!file) {
    const dir = process.env.BENCH_DIR ?? "/tmp/explorer-profile";
    const gib = Number(process.env.BENCH_CHECKPOINT_GIB ?? 0.25);
    const archives = await prepareCheckpointArchives(dir, Math.round(gib * 2 ** 30));
    file = archives.files["tar.zst"];
    needle = archives.needle;
  }
  const served = process.env.BENCH_PROFILE_SERVED === "1";
  const chrome = await launch(browserPath);
  try {
    await withExplorer(chrome.browser, served ? [file] : [], async (page) => {
      const result = await profiled(page, async () => {
        const phases: Record<string, number> = {};
        const t0 = performance.now();
        const c0 = rendererCpuSeconds();
        if (!served) await page.getByTestId("archive-input").setInputFiles(file);
        await page.getByRole("tab", { name: "Processes" }).click({ timeout: 600_000 });
        await page.getByTestId("tree").locator("button.task").first().waitFor({ timeout: 600_000 });
        phases.treeSeconds = (performance.now() - t0) / 1000;
        phases.treeCpuSeconds = rendererCpuSeconds() - c0;
        if (needle) {
          await page.getByRole("tab", { name: "Memory" }).click();
          await page.getByTestId("search-input").fill(needle);
          const t1 = performance.now();
          const c1 = rendererCpuSeconds();
          await page.getByRole("button", { name: "Search", exact: true }).click();
          await page.getByTestId("search-summary").waitFor({ timeout: 600_000 });
          phases.searchSeconds = (performance.now() - t1) / 1000;
          phases.searchCpuSeconds = rendererCpuSeconds() - c1;
        }
        return phases;
      });
      const out = dirname(file!);
      writeFileSync(join(out, "main.cpuprofile"), JSON.stringify(result.main));
      writeFileSync(join(out, "worker.cpuprofile"), JSON.stringify(result.worker));
      console.log(JSON.stringify(result.phases));
      printTop("worker", result.worker);
      printTop("main", result.main);
    });
  } finally {
    await chrome.close();
  }
}

await main();
