// The explorer case (`BENCH_ONLY=explorer npm run bench`): a Podman checkpoint archive of about
// 500 MB (.tar.zst, made by checkpoint-archive.ts) picked in the page as a user drops it, in
// Debian's headless chromium driven by playwright-core. Measured: the time from handing the file
// to the page to the process tree shown; a search of all memory for the planted needle (bytes
// searched per second, in the page's worker); and how responsive the page stayed meanwhile (the
// main thread's long tasks, from a PerformanceObserver). Skipped, saying why, without chromium.
// BENCH_CHECKPOINT_GIB sets the memory (2 GiB; 1/16 quick), BENCH_EXPLORER_RUNS the runs (3; 1
// quick); BENCH_EXPLORER_SERVED=1 opens the archive through `crit explore ARCHIVE` instead (the
// server's source), timed from starting `crit explore` (which opens the archive before it serves).

import { join } from "node:path";
import { chromiumPath, launch, withExplorer } from "../test/explorer/browser";
import { prepareCheckpointArchives } from "./checkpoint-archive";

export interface ExplorerFigures {
  archiveBytes: number;
  memoryBytes: number;
  /** Seconds from setInputFiles to the process tree shown, per run. */
  treeSeconds: number[];
  /** Seconds of the whole-memory search, and what it read. */
  searchSeconds: number[];
  searchedBytes: number;
  /** MB/s of the search (median run). */
  searchMBps: number;
  hitsFound: number;
  /** "file input" (the archive picked in the page) or "crit explore ARCHIVE" (served). */
  opened: string;
  /** The main thread's longest task while opening and searching, in ms (median run), and how many took 50 ms or more. */
  longestTaskMs: number;
  longTasks: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function measureExplorer(dir: string, quick: boolean, log: (line: string) => void): Promise<ExplorerFigures | { unavailable: string }> {
  const browserPath = chromiumPath();
  if (!browserPath) return { unavailable: "no chromium (apt-get install chromium, or set CHROMIUM_PATH)" };
  const gib = Number(process.env.BENCH_CHECKPOINT_GIB ?? (quick ? 1 / 16 : 2));
  const runs = Number(process.env.BENCH_EXPLORER_RUNS ?? (quick ? 1 : 3));
  const served = process.env.BENCH_EXPLORER_SERVED === "1";
  const archives = await prepareCheckpointArchives(dir, Math.round(gib * 2 ** 30));
  const file = archives.files["tar.zst"];
  log(`explorer: ${file} (${(archives.sizes["tar.zst"] / 1e6).toFixed(0)} MB, ${(archives.mappingBytes / 2 ** 20).toFixed(0)} MiB of pages)`);
  const chrome = await launch(browserPath);
  const figures: ExplorerFigures = {
    archiveBytes: archives.sizes["tar.zst"],
    memoryBytes: archives.mappingBytes,
    treeSeconds: [],
    searchSeconds: [],
    searchedBytes: 0,
    searchMBps: 0,
    hitsFound: 0,
    opened: served ? "crit explore ARCHIVE" : "file input",
    longestTaskMs: 0,
    longTasks: 0,
  };
  const longest: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await withExplorer(chrome.browser, served ? [file] : [], async (page) => {
        await page.evaluate(() => {
          const w = window as unknown as { longTasks: number[] };
          w.longTasks = [];
          new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: "longtask", buffered: true });
        });
        const opened = served ? started : performance.now();
        if (!served) await page.getByTestId("archive-input").setInputFiles(file);
        await page.getByRole("tab", { name: "Processes" }).click({ timeout: 600_000 });
        await page.getByTestId("tree").locator("button.task").first().waitFor({ timeout: 600_000 });
        figures.treeSeconds.push((performance.now() - opened) / 1000);

        await page.getByRole("tab", { name: "Memory" }).click();
        await page.getByTestId("search-input").fill(archives.needle);
        const searched = performance.now();
        await page.getByRole("button", { name: "Search", exact: true }).click();
        const summary = page.getByTestId("search-summary");
        await summary.waitFor({ timeout: 600_000 });
        figures.searchSeconds.push((performance.now() - searched) / 1000);
        const text = await summary.innerText();
        figures.hitsFound = Number(/^(\d+) hits?/.exec(text)?.[1] ?? 0);
        figures.searchedBytes = Number(/([\d,]+) bytes/.exec(text)?.[1]?.replace(/,/g, "") ?? 0);
        const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
        longest.push(Math.max(0, ...tasks));
        figures.longTasks = Math.max(figures.longTasks, tasks.length);
      });
      log(`  run ${run + 1}: tree ${figures.treeSeconds.at(-1)!.toFixed(1)} s, search ${figures.searchSeconds.at(-1)!.toFixed(1)} s, longest main-thread task ${longest.at(-1)!.toFixed(0)} ms`);
    }
  } finally {
    await chrome.close();
  }
  figures.longestTaskMs = median(longest);
  figures.searchMBps = (figures.searchedBytes || archives.mappingBytes) / 1e6 / median(figures.searchSeconds);
  if (figures.hitsFound === 0) throw new Error(`the page's search did not find ${archives.needle}`);
  return figures;
}
