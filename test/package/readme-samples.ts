// The ```ts blocks of README.md, as files a TypeScript consumer of the package would write.

/** One ```ts block: where it starts in the README, its code, and whether the test runs it. */
export interface ReadmeSample {
  /** 1-based line of the block's first code line in README.md. */
  line: number;
  code: string;
  /** False when the block says `// not run` (needs root, a real CRIU, a network...). */
  run: boolean;
  /** The file the block is written to: README line in the name, for error messages. */
  file: string;
}

/** A comment line that keeps a block from being run (it is still type-checked). */
export const NOT_RUN = /^\s*\/\/\s*not run\b/m;

export function readmeSamples(readme: string): ReadmeSample[] {
  const lines = readme.split("\n");
  const samples: ReadmeSample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    const code = lines.slice(start, end).join("\n") + "\n";
    samples.push({ line: start + 1, code, run: !NOT_RUN.test(code), file: `readme-line-${start + 1}.mts` });
    i = end;
  }
  return samples;
}

/**
 * tsc's messages with the sample files' positions turned into README.md's: "README.md:57:3 error
 * TS2339: ...". Other lines are kept as they are.
 */
export function inReadmeTerms(tscOutput: string): string {
  return tscOutput.replace(/(?:^|(?<=\n))(?:[^\n(]*\/)?readme-line-(\d+)\.mts\((\d+),(\d+)\)/g, (_, first: string, line: string, col: string) => {
    return `README.md:${Number(first) + Number(line) - 1}:${col}`;
  });
}
