// What the bench generates and how long it measures: the full run, or BENCH_QUICK=1 (small
// sizes, short budgets) for a smoke run.

import type { Budget } from "./measure";

export interface Config {
  quick: boolean;
  pagemapEntries: number;
  fileEntries: number;
  mmEntries: number;
  vmasPerMm: number;
  coreEntries: number;
  /** Pipe buffer per pipes-data entry (CRIU's default pipe-max-size, 1 MiB). */
  pipeChunk: number;
  pipesSmall: number;
  pipesLarge: number;
  /** How many of the corpus's largest decodable images to add. */
  corpusImages: number;
  budget: Budget;
  /** Seconds before Python crit is killed, and for the large pipes-data image. */
  critTimeout: number;
  critLargeTimeout: number;
}

const MiB = 1 << 20;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const quick = env.BENCH_QUICK === "1";
  const critLargeTimeout = Number(env.BENCH_CRIT_LARGE_TIMEOUT ?? (quick ? 60 : 120));
  if (quick) {
    return {
      quick,
      pagemapEntries: 2_000,
      fileEntries: 1_000,
      mmEntries: 10,
      vmasPerMm: 300,
      coreEntries: 50,
      pipeChunk: MiB,
      pipesSmall: 2 * MiB,
      pipesLarge: 16 * MiB,
      corpusImages: 2,
      budget: { minSeconds: 0.1, minRuns: 1, maxRuns: 200, slowSeconds: 2 },
      critTimeout: 60,
      critLargeTimeout,
    };
  }
  return {
    quick,
    pagemapEntries: 200_000,
    fileEntries: 100_000,
    mmEntries: 1_000,
    vmasPerMm: 300,
    coreEntries: 2_000,
    pipeChunk: MiB,
    pipesSmall: 64 * MiB,
    pipesLarge: 1024 * MiB,
    corpusImages: 6,
    budget: { minSeconds: 2, minRuns: 5, maxRuns: 100_000, slowSeconds: 5 },
    critTimeout: 300,
    critLargeTimeout,
  };
}
