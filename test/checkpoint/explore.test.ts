import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dumpSourceFromFiles, ExploreError, type DumpSource } from "../../src/checkpoint/dump-source";
import { explorePs, exploreFds, exploreMems, exploreRss } from "../../src/checkpoint/explore";
import { decodeImage, encodeImage, pagemapLayout, type CriuImage } from "../../src/image/index";
import { openDumpDir } from "../../src/node/dump-dir";
import { corpusDir, scenarios } from "../support/corpus";
import { fixturePath } from "../support/fixtures";

const EXPLORERS = { ps: explorePs, fds: exploreFds, mems: exploreMems, rss: exploreRss } as const;
type What = keyof typeof EXPLORERS;
const WHATS = Object.keys(EXPLORERS) as What[];

/** Every dump folder with crit's x-* outputs: each scenario's images/, and the pre-dump. */
const DUMPS = scenarios().flatMap((s) => [
  { name: s, images: `${corpusDir}${s}/images`, crit: `${corpusDir}${s}/crit` },
  ...(existsSync(`${corpusDir}${s}/predump/images`)
    ? [{ name: `${s}/predump`, images: `${corpusDir}${s}/predump/images`, crit: `${corpusDir}${s}/predump/crit` }]
    : []),
]);

const text = (path: string) => readFileSync(path, "utf8");

/**
 * Where crit 4.2 crashed, and why; each is tested on its own below. A new x-*.err in the
 * corpus fails the "every crash is explained" test until it is added here.
 */
const OLD_PAGEMAP = DUMPS.filter((d) => /^old-v(3|4\.[01])/.test(d.name) && !d.name.includes("/")).map((d) => d.name);
const CRIT_CRASHES: Record<string, string> = {
  ...Object.fromEntries(OLD_PAGEMAP.map((n) => [`${n} rss`, "KeyError: 'nr_pages'"])),
  "proc-tree fds": "No such file or directory: 'images/ids-26981.img'",
  "proc-tree mems": "No such file or directory: 'images/mm-26981.img'",
  "proc-tree rss": "No such file or directory: 'images/mm-26981.img'",
  ...Object.fromEntries(WHATS.map((w) => [`old-v4.1-predump/predump ${w}`, "No such file or directory: 'images/pstree.img'"])),
};

describe("crit x, byte for byte where crit works", () => {
  for (const dump of DUMPS) {
    for (const what of WHATS) {
      if (existsSync(`${dump.crit}/x-${what}.err`)) continue;
      it(`${dump.name}: x ${what}`, () => {
        expect(EXPLORERS[what](openDumpDir(dump.images))).toBe(text(`${dump.crit}/x-${what}.txt`));
      });
    }
  }

  it("every crash of crit in the corpus is explained", () => {
    const crashes = DUMPS.flatMap((d) => WHATS.filter((w) => existsSync(`${d.crit}/x-${w}.err`)).map((w) => `${d.name} ${w}`));
    expect(crashes.sort()).toEqual(Object.keys(CRIT_CRASHES).sort());
    for (const c of crashes) {
      const [name, what] = c.split(" ") as [string, What];
      const dump = DUMPS.find((d) => d.name === name)!;
      expect(text(`${dump.crit}/x-${what}.err`)).toContain(CRIT_CRASHES[c]);
    }
  });
});

describe("crit bug: x rss reads only nr_pages, absent before CRIU 4.2 (KeyError)", () => {
  for (const name of OLD_PAGEMAP) {
    it(`${name}: rss uses compat_nr_pages`, () => {
      const dir = `${corpusDir}${name}/images`;
      const out = exploreRss(openDumpDir(dir));
      // crit printed the first pid, then died on its first pagemap entry.
      expect(out.startsWith(text(`${corpusDir}${name}/crit/x-rss.txt`))).toBe(true);
      // What crit prints for the same dump with nr_pages filled in (test/fixtures/explore/README.md).
      expect(out).toBe(text(fixturePath(`explore/${name}-nrpages.x-rss.txt`)));
      // And, independently of crit, every run line agrees with the pagemap as pages.ts reads it.
      const runLines = out.split("\n").flatMap((l) => {
        const m = /^\t([0-9a-f]+) \/ (\d+)/.exec(l);
        return m ? [`${m[1]} / ${m[2]}`] : [];
      });
      const expected: string[] = [];
      for (const pid of out.split("\n").filter((l) => /^\d+$/.test(l))) {
        const pm = decodeImage(readFileSync(`${dir}/pagemap-${pid}.img`), { expect: "PAGEMAP" });
        const [, ...runs] = pm.entries;
        expect(runs.some((e) => e.nrPages !== 0n)).toBe(false); // really pre-4.2
        for (const run of pagemapLayout(pm.entries)) expected.push(`${run.vaddr.toString(16)} / ${run.nrPages}`);
      }
      expect(runLines).toEqual(expected);
    });
  }
});

describe("crit bug: fds, mems, rss open ids/mm images that CRIU does not write for zombies", () => {
  const dir = `${corpusDir}proc-tree/images`;
  const zombies = ["26974", "26975", "26981"];

  it("the zombies are dead tasks with a core image only", () => {
    const files = readdirSync(dir);
    for (const pid of zombies) {
      const core = decodeImage(readFileSync(`${dir}/core-${pid}.img`), { expect: "CORE" });
      expect(core.entries[0]!.tc!.taskState).toBe(2); // TASK_DEAD
      expect(files.filter((f) => f.includes(`-${pid}.`))).toEqual([`core-${pid}.img`]);
    }
  });

  for (const what of ["fds", "mems", "rss"] as const) {
    it(`${what}: a zombie is listed by its pid alone`, () => {
      const out = EXPLORERS[what](openDumpDir(dir));
      expect(out.startsWith(text(`${corpusDir}proc-tree/crit/x-${what}.txt`))).toBe(true);
      for (const pid of zombies) expect(out).toMatch(new RegExp(`^${pid}\n(?!\t)`, "m"));
      // Without those lines: what crit prints once the zombies are taken out of pstree.img.
      const live = out.split("\n").filter((l) => !zombies.includes(l)).join("\n");
      expect(live).toBe(text(fixturePath(`explore/proc-tree-nozombies.x-${what}.txt`)));
    });
  }
});

describe("a missing image is an ExploreError naming it", () => {
  for (const what of WHATS) {
    it(`pre-dump (no pstree.img): ${what}`, () => {
      const err = catchError(() => EXPLORERS[what](openDumpDir(`${corpusDir}old-v4.1-predump/predump/images`)));
      expect(err).toMatchObject({ kind: "missing-image", image: "pstree.img", output: "" });
      expect(text(`${corpusDir}old-v4.1-predump/predump/crit/x-${what}.txt`)).toBe(""); // crit printed nothing either
    });
  }

  it("fds without fs-PID.img keeps what was printed before", () => {
    const files = corpusFiles("proc-tree");
    files.delete("fs-26972.img");
    const err = catchError(() => exploreFds(dumpSourceFromFiles(files)));
    expect(err).toMatchObject({ kind: "missing-image", image: "fs-26972.img", pid: 26972 });
    expect(err.message).toContain("fs-26972.img");
    const crit = text(`${corpusDir}proc-tree/crit/x-fds.txt`);
    expect(err.output).toBe(crit.slice(0, crit.indexOf("\t    cwd", crit.indexOf("26972\n"))));
  });

  it("ps without a core image", () => {
    const files = corpusFiles("proc-minimal");
    const core = [...files.keys()].find((f) => f.startsWith("core-"))!;
    files.delete(core);
    expect(catchError(() => explorePs(dumpSourceFromFiles(files)))).toMatchObject({ kind: "missing-image", image: core });
  });
});

describe("crit bug: fds crashes when files.img lacks an id and there is no pre-v3.4 image", () => {
  // old-v4.2-basic has regular files, pipes and unix sockets; take them out of files.img.
  const name = "old-v4.2-basic";
  const stripped = () => {
    const files = corpusFiles(name);
    const image = decodeImage(files.get("files.img")!, { expect: "FILES" });
    const moved = image.entries.filter((f) => f.reg || f.pipe || f.usk);
    files.set("files.img", encodeImage({ ...image, entries: image.entries.filter((f) => !moved.includes(f)) }));
    expect(moved.filter((f) => f.reg).length * moved.filter((f) => f.pipe).length * moved.filter((f) => f.usk).length).toBeGreaterThan(0);
    return { files, moved };
  };

  it("with the legacy reg-files, pipes and unixsk images, the output is unchanged (as with crit)", () => {
    const { files, moved } = stripped();
    const put = (file: string, image: CriuImage<"REG_FILES" | "PIPES" | "UNIXSK">) => files.set(file, encodeImage(image));
    put("reg-files.img", { magic: "REG_FILES", entries: moved.flatMap((f) => (f.reg ? [f.reg] : [])) });
    put("pipes.img", { magic: "PIPES", entries: moved.flatMap((f) => (f.pipe ? [f.pipe] : [])) });
    put("unixsk.img", { magic: "UNIXSK", entries: moved.flatMap((f) => (f.usk ? [f.usk] : [])) });
    for (const what of ["fds", "mems", "rss"] as const) {
      expect(EXPLORERS[what](dumpSourceFromFiles(files))).toBe(text(`${corpusDir}${name}/crit/x-${what}.txt`));
    }
  });

  it("without them, such files print as crit prints a file it cannot find", () => {
    const { files } = stripped();
    const crit = text(`${corpusDir}${name}/crit/x-fds.txt`).split("\n");
    const ours = exploreFds(dumpSourceFromFiles(files)).split("\n");
    expect(ours.length).toBe(crit.length);
    ours.forEach((line, i) => {
      const [prefix, desc] = splitFdLine(crit[i]!);
      if (desc === undefined) return expect(line).toBe(crit[i]);
      const placeholder = desc.startsWith("pipe[") ? "pipe[?]" : desc.startsWith("unix[") ? "unix[?]" : "unknown path";
      expect(line).toBe(`${prefix}${placeholder}`);
    });
    // mems and rss name the executable and file mappings the same way.
    expect(exploreMems(dumpSourceFromFiles(files))).toContain("\texe                                     unknown path\n");
    expect(exploreRss(dumpSourceFromFiles(files))).toMatch(/ 00401000 \/ \d+ +unknown path\n/);
  });
});

describe("ps", () => {
  it("a task whose parent is not in pstree.img is shown as a root (crit: KeyError)", () => {
    const files = corpusFiles("proc-tree");
    const pstree = decodeImage(files.get("pstree.img")!, { expect: "PSTREE" });
    files.set("pstree.img", encodeImage({ ...pstree, entries: pstree.entries.filter((p) => p.pid !== 26972) }));
    expect(explorePs(dumpSourceFromFiles(files))).toBe(
      [
        "    PID   PGID    SID   COMM",
        "  26968  26968  26968   proc-tree",
        "  26973  26973  26968       corpus-B",
        "  26974  26974  26968       proc-tree",
        "  26975  26968  26968       proc-tree",
        "  26981  26981  26972   corpus-A",
        "  26982  26982  26972   corpus-A2",
        "",
      ].join("\n"),
    );
  });
});

describe("openDumpDir", () => {
  const dump: DumpSource = openDumpDir(`${corpusDir}proc-minimal/images`);
  it("reads files, and gives undefined for a missing one", () => {
    expect(dump.read("pstree.img")).toEqual(new Uint8Array(readFileSync(`${corpusDir}proc-minimal/images/pstree.img`)));
    expect(dump.read("pstree-none.img")).toBeUndefined();
  });
  it("refuses names that leave the directory", () => {
    for (const bad of ["../README.md", "crit/x-ps.txt", "..", ""]) expect(() => dump.read(bad)).toThrow(RangeError);
  });
});

function corpusFiles(scenario: string): Map<string, Uint8Array> {
  const dir = `${corpusDir}${scenario}/images/`;
  return new Map(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(dir + f))]));
}

function catchError(f: () => unknown): ExploreError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ExploreError);
    return err as ExploreError;
  }
  throw new Error("expected an ExploreError");
}

/** "\t      3: pipe[1]" → ["\t      3: ", "pipe[1]"]; other lines → [line, undefined]. */
function splitFdLine(line: string): [string, string | undefined] {
  const m = /^(\t[ \w]{7}: )(.*)$/.exec(line);
  return m ? [m[1]!, m[2]!] : [line, undefined];
}
