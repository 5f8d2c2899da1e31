// The explorer in a real headless Chromium: served by `crit explore`, a dump opened through the
// page's folder input and through the server, the overview, the image list and crit's pretty JSON
// of an image. Screenshots go to docs/explorer/ (the README shows them).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launch, withExplorer, type OpenBrowser } from "./browser";

const root = join(import.meta.dirname, "..", "..");
const minimal = join(root, "test/fixtures/corpus/proc-minimal");
const browserPath = chromiumPath();
if (!browserPath) console.warn("explorer browser tests skipped: no chromium (apt-get install chromium, or set CHROMIUM_PATH)");

describe.skipIf(!browserPath)("explorer page (headless Chromium)", () => {
  let chrome: OpenBrowser;
  beforeAll(async () => {
    chrome = await launch(browserPath!);
  });
  afterAll(async () => {
    await chrome?.close();
  });

  it("opens a dump folder picked in the page: overview, images, pretty JSON equal to crit's", async () => {
    await withExplorer(chrome.browser, [], async (page) => {
      await page.getByTestId("folder-input").setInputFiles(join(minimal, "images"));
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      const facts = await page.locator("table.facts").first().innerText();
      expect(facts).toMatch(/Tasks\s+1/);
      expect(facts).toMatch(/Images\s+\d+/);
      await page.screenshot({ path: join(root, "docs/explorer/overview.png") });

      await page.getByRole("tab", { name: "Images" }).click();
      await page.getByTestId("images").waitFor();
      const names = await page.getByTestId("images").locator("tbody tr td:first-child").allInnerTexts();
      expect(names).toContain("pstree.img");
      expect(names).toContain("inventory.img");
      await page.getByRole("button", { name: "pstree.img" }).click();
      const json = await page.getByTestId("json").innerText();
      expect(json).toBe(readFileSync(join(minimal, "crit/pstree.img.pretty.json"), "utf8").trimEnd());
      await page.getByRole("button", { name: "core-26637.img" }).click();
      await page.getByRole("heading", { name: "core-26637.img" }).waitFor();
      await page.screenshot({ path: join(root, "docs/explorer/images.png") });
    });
  });

  it("opens the dump given to crit explore, read from the server by range", async () => {
    await withExplorer(chrome.browser, [join(minimal, "images")], async (page) => {
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      expect(await page.locator("table.facts").first().innerText()).toMatch(/Source\s+.*proc-minimal\/images \(http\)/);
      await page.getByRole("tab", { name: "Images" }).click();
      await page.getByRole("button", { name: "files.img" }).click();
      const json = await page.getByTestId("json").innerText();
      expect(json).toBe(readFileSync(join(minimal, "crit/files.img.pretty.json"), "utf8").trimEnd());
    });
  });

  it("opens a podman checkpoint archive (tar.zst) picked in the page, images under checkpoint/", async () => {
    await withExplorer(chrome.browser, [], async (page) => {
      await page.getByTestId("archive-input").setInputFiles(join(root, "test/fixtures/archives/podman-forensics.tar.zst"));
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      const facts = await page.locator("table.facts").first().innerText();
      expect(facts).toMatch(/Source\s+podman-forensics\.tar\.zst \(tar\.zst\)/);
      expect(facts).toMatch(/Images\s+\d+ under checkpoint\//);
      expect(facts).toMatch(/Tasks\s+3/); // pids 1, 6 and 7 (SCENARIO.md)
      await page.getByRole("tab", { name: "Images" }).click();
      await page.getByTestId("images").waitFor();
      const names = await page.getByTestId("images").locator("tbody tr td:first-child").allInnerTexts();
      expect(names).toEqual(expect.arrayContaining(["config.dump", "spec.dump", "checkpoint/pstree.img", "checkpoint/pages-1.img"]));
      await page.getByRole("button", { name: "checkpoint/pstree.img" }).click();
      const json = await page.getByTestId("json").innerText();
      expect(json).toBe(readFileSync(join(root, "test/fixtures/explorer/podman-forensics.pstree.img.pretty.json"), "utf8").trimEnd());
    });
  });

  it("opens an archive given to crit explore", async () => {
    await withExplorer(chrome.browser, [join(root, "test/fixtures/archives/podman-busybox.tar.zst")], async (page) => {
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      expect(await page.locator("table.facts").first().innerText()).toMatch(/Images\s+\d+ under checkpoint\//);
    });
  });

  it("shows podman-forensics' process tree, argv and env, sockets with peers, a mapping's bytes and the needle", async () => {
    await withExplorer(chrome.browser, [], async (page) => {
      await page.getByTestId("archive-input").setInputFiles(join(root, "test/fixtures/archives/podman-forensics.tar.zst"));
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      expect(await page.getByTestId("engine").innerText()).toMatch(/Engine\s+Podman[\s\S]*Container\s+corpus-fx/);
      await page.screenshot({ path: join(root, "docs/explorer/overview-archive.png") });

      // Process tree: pids 1 > 6 > 7 (SCENARIO.md), argv and environment from memory.
      await page.getByRole("tab", { name: "Processes" }).click();
      const tree = page.getByTestId("tree");
      await tree.waitFor();
      expect(await tree.innerText()).toMatch(/1 forensics[\s\S]*6 fx-child[\s\S]*7 fx-grandchild/);
      await page.locator('button.task[data-pid="6"]').click();
      const task = page.getByTestId("task");
      expect(await task.innerText()).toMatch(/Command line\s+\/usr\/local\/bin\/forensics/);
      const env = await page.getByTestId("env").innerText();
      expect(env).toMatch(/APP_MODE\s+forensics/);
      expect(env).toMatch(/SECRET_TOKEN\s+tok-4f9a2c/);
      // Keyboard: down from pid 6 selects pid 7.
      await page.locator('button.task[data-pid="6"]').press("ArrowDown");
      await page.getByRole("heading", { name: "7 fx-grandchild" }).waitFor();
      await page.screenshot({ path: join(root, "docs/explorer/processes.png") });

      // Files and sockets: TCP with both ends, a UNIX socket with its peer's task.
      await page.getByRole("tab", { name: "Files and sockets" }).click();
      // Task 7 first (the one selected): its abstract UNIX socket.
      expect(await page.getByTestId("files").innerText()).toMatch(/UNIXSK\s+unix\[\d+ \(0\) [^\n]*forensics-abstract-7070\]/);
      await page.getByLabel("only task 7").uncheck();
      const files = await page.getByTestId("files").innerText();
      expect(files).toMatch(/INETSK\s+tcp\[127\.0\.0\.1:7070 -> 127\.0\.0\.1:47370\][^\n]*in 35 \/ out 0 bytes queued/);
      expect(files).toMatch(/UNIXSK/);
      expect(files).toMatch(/PIPE/);
      await page.screenshot({ path: join(root, "docs/explorer/files.png") });

      // Memory: pid 1's heap in the hex viewer, and the needle found twice by search.
      await page.getByRole("tab", { name: "Memory" }).click();
      await page.getByLabel("Task", { exact: true }).selectOption("1");
      await page.getByTestId("map-picture").waitFor();
      await page.getByLabel("Go to address").fill("0x1f4d5200");
      await page.getByRole("button", { name: "Go", exact: true }).click();
      await page.getByTestId("hex").filter({ hasText: "needle-7c1e-in-h" }).waitFor();
      expect(await page.getByTestId("hex").innerText()).toMatch(/^000000001f4d5200  6e 65 65 64 6c 65 2d 37  63 31 65 2d 69 6e 2d 68\s+\|needle-7c1e-in-h\|/);
      await page.getByTestId("search-input").fill("needle-7c1e-in-heap");
      await page.getByRole("button", { name: "Search", exact: true }).click();
      await page.getByTestId("search-summary").waitFor();
      expect(await page.getByTestId("search-summary").innerText()).toMatch(/^2 hits/);
      const hits = await page.getByTestId("hits").innerText();
      expect(hits).toMatch(/0x1f4d5200/);
      expect(hits).toMatch(/0x1f4d5ff9/);
      await page.screenshot({ path: join(root, "docs/explorer/memory.png"), fullPage: true });
    });
  });
  it("compares the busybox checkpoint with a second one picked in the Diff tab (podman-forensics)", async () => {
    // A path relative to the repository (vitest's working directory), as the screenshot shows it.
    await withExplorer(chrome.browser, ["test/fixtures/archives/podman-busybox.tar.zst"], async (page) => {
      await page.getByRole("tab", { name: "Diff" }).click();
      await page.getByTestId("second-archive-input").setInputFiles(join(root, "test/fixtures/archives/podman-forensics.tar.zst"));
      // The quick diff shows first; the pages follow from the worker.
      await page.getByTestId("diff-pages").filter({ hasText: /^\d+$/ }).waitFor();
      expect(await page.getByTestId("diff-sides").innerText()).toMatch(/A \(this checkpoint\)\s+test\/fixtures\/archives\/podman-busybox\.tar\.zst\s+B\s+podman-forensics\.tar\.zst/);
      const summary = await page.getByTestId("diff-summary").innerText();
      expect(summary).toMatch(/Processes\s+5 \(\+1 −2 ~2, 0 unchanged\)/);
      expect(await page.getByText("Two containers: corpus-bb and corpus-fx.").count()).toBe(1);

      // The facts of test/checkpoint/diff/diff.test.ts, as the page shows them.
      const processes = await page.getByTestId("diff-processes").innerText();
      expect(processes).toMatch(/\+ added\s+6\s+fx-child/);
      expect(processes).toMatch(/− removed\s+8\s+sleep/);
      expect(processes).toMatch(/− removed\s+9\s+sleep/);
      expect(processes).toMatch(/~ changed\s+1\s+forensics\s+comm: sleep → forensics/);
      expect(processes).toMatch(/env \+ APP_MODE=forensics\s+env \+ SECRET_TOKEN=tok-4f9a2c/);
      expect(processes).toMatch(/env ~ HOSTNAME=626cd9980e82 → HOSTNAME=5e1433bac4be/);
      expect(processes).toMatch(/thread \+ 8 fx-worker/);
      expect(processes).toMatch(/~ changed\s+7\s[\s\S]*ppid: 1 → 6/);
      const sockets = await page.getByTestId("diff-sockets").innerText();
      expect(sockets).toMatch(/\+ added\s+1\s+5\s+TCP\s+ESTABLISHED\s+127\.0\.0\.1:7070\s+127\.0\.0\.1:47370\s+35 \//);
      expect(sockets).toMatch(/\+ added\s+1\s+7\s+TCP\s+LISTEN\s+127\.0\.0\.1:7070/);
      expect(sockets).toMatch(/\+ added\s+6\s+3\s+TCP\s+ESTABLISHED\s+127\.0\.0\.1:47370\s+127\.0\.0\.1:7070\s+33 \//);
      expect(sockets).toMatch(/~ changed\s+7\s+3\s+UNIX\s+LISTEN\s+@forensics-abstract-7070[\s\S]*protocol: TCP → UNIX/);
      expect(await page.getByTestId("diff-files").innerText()).toMatch(/~ changed\s+1\s+3\s+REG\s+\/var\/log\/forensics\.log\s+[^\n]*position: [^\n]* → 39/);
      expect(await page.getByTestId("diff-memory").innerText()).toMatch(/^1\s+[\s\S]*?\s17 → 22\s/m);
      await page.screenshot({ path: join(root, "docs/explorer/diff.png") });

      // pid 6 is not in the first checkpoint: no link; pid 1 is, and Enter on it opens its task.
      expect(await page.getByTestId("diff-processes").getByRole("button", { name: "task 6 in the Processes view" }).count()).toBe(0);
      await page.getByTestId("diff-processes").getByRole("button", { name: "task 1 in the Processes view" }).press("Enter");
      await page.getByRole("heading", { name: "1 sleep" }).waitFor();
      expect(await page.getByRole("tab", { name: "Processes" }).getAttribute("aria-selected")).toBe("true");
      // The comparison outlives the tab.
      await page.getByRole("tab", { name: "Diff" }).click();
      expect(await page.getByTestId("diff-summary").innerText()).toMatch(/Processes\s+5/);
    });
  });

  it("finds no changes between a dump folder and itself, pages compared in the worker", async () => {
    const images = join(root, "test/fixtures/corpus/podman-forensics/images");
    await withExplorer(chrome.browser, [images], async (page) => {
      await page.getByRole("tab", { name: "Diff" }).click();
      await page.getByTestId("second-folder-input").setInputFiles(images);
      await page.getByTestId("diff-pages").filter({ hasText: /^\d+$/ }).waitFor();
      expect(await page.getByTestId("diff-pages").innerText()).toBe("0");
      expect(await page.getByTestId("diff-verdict").innerText()).toMatch(/^No changes: /);
      const summary = await page.getByTestId("diff-summary").innerText();
      expect(summary).toMatch(/Processes\s+0 \(\+0 −0 ~0, 3 unchanged\)/);
      expect(summary).toMatch(/Files\s+0 [\s\S]*Sockets\s+0 [\s\S]*Memory mappings\s+0/);
      for (const part of ["processes", "files", "sockets", "memory"]) {
        expect(await page.getByTestId(`diff-${part}`).innerText()).toMatch(/\(no changes\)/);
      }
      // Closing B empties the view.
      await page.getByRole("button", { name: "Close B" }).click();
      await page.getByText("none yet: pick a dump folder or an archive").waitFor();
      expect(await page.getByTestId("diff-summary").count()).toBe(0);
      // Not a checkpoint: a typed error naming the file, no diff.
      await page.getByTestId("second-archive-input").setInputFiles(join(root, "test/fixtures/diff/README.md"));
      await page.getByRole("alert").filter({ hasText: "README.md at offset 0: not a checkpoint archive" }).waitFor();
      expect(await page.getByTestId("diff-summary").count()).toBe(0);
    });
  });

  it("opens on the diff with crit explore A --diff B (forensics and its mutated copy)", async () => {
    const a = join(root, "test/fixtures/archives/podman-forensics.tar.zst");
    const b = join(root, "test/fixtures/diff/forensics-mutated-b.tar.zst");
    await withExplorer(chrome.browser, [a, "--diff", b], async (page) => {
      await page.getByTestId("diff-pages").filter({ hasText: /^\d+$/ }).waitFor();
      expect(await page.getByRole("tab", { name: "Diff" }).getAttribute("aria-selected")).toBe("true");
      // test/fixtures/diff/README.md: PID 7 dropped, PID 6 renamed, APP_MODE changed in the pages.
      const processes = await page.getByTestId("diff-processes").innerText();
      expect(processes).toMatch(/− removed\s+7\s+fx-grandchild/);
      expect(processes).toMatch(/~ changed\s+6\s+fx-kid\s+comm: fx-child → fx-kid/);
      expect(processes).toMatch(/env ~ APP_MODE=forensics → APP_MODE=forensicX/);
      expect(await page.getByTestId("diff-sockets").innerText()).toMatch(/− removed\s+1\s+7\s+TCP\s+LISTEN\s+127\.0\.0\.1:7070/);
      const memory = await page.getByTestId("diff-memory").innerText();
      expect(memory).toMatch(/^1\s+22 → 22\s+1 differ: 0x7ffdd22b0000/m);
      expect(memory).toMatch(/^6\s+16 → 16\s+1 differ: 0x7ffdd22b0000/m);
      // PID 7 is in A: its link opens the task there.
      await page.getByTestId("diff-processes").getByRole("button", { name: "task 7 in the Processes view" }).click();
      await page.getByRole("heading", { name: "7 fx-grandchild" }).waitFor();
    });
  });

  it("cancels the page comparison, then runs it again on demand", async () => {
    await withExplorer(chrome.browser, [join(root, "test/fixtures/archives/podman-forensics.tar.zst")], async (page) => {
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      // From now on A's pages are held by the test: the comparison waits on them.
      const held: Route[] = [];
      let release = false;
      await page.context().route("**/api/member/checkpoint/pages-1.img", (route) => (release ? route.continue() : void held.push(route)));
      await page.getByRole("tab", { name: "Diff" }).click();
      await page.getByTestId("second-archive-input").setInputFiles(join(root, "test/fixtures/diff/forensics-mutated-b.tar.zst"));
      await page.getByTestId("diff-pages").filter({ hasText: "comparing…" }).waitFor();
      // The quick diff is there while the pages are compared.
      expect(await page.getByTestId("diff-processes").innerText()).toMatch(/− removed\s+7\s+fx-grandchild/);
      await expect.poll(() => held.length).toBeGreaterThan(0);
      await page.getByRole("button", { name: "Cancel" }).press("Enter");
      release = true;
      for (const route of held) await route.continue();
      await page.context().unroute("**/api/member/checkpoint/pages-1.img");
      await page.getByTestId("diff-pages").filter({ hasText: "comparison cancelled" }).waitFor();
      await page.getByRole("button", { name: "Compare pages" }).click();
      await page.getByTestId("diff-pages").filter({ hasText: /^\d+$/ }).waitFor();
      expect(await page.getByTestId("diff-memory").innerText()).toMatch(/^1\s+22 → 22\s+1 differ: 0x7ffdd22b0000/m);
    });
  });

  it("shows a task's limits, blocked and pending signals, handlers and timers (proc-signals)", async () => {
    await withExplorer(chrome.browser, [join(root, "test/fixtures/corpus/proc-signals/images")], async (page) => {
      await page.getByRole("tab", { name: "Processes" }).click();
      await page.getByTestId("limits").waitFor();
      expect(await page.getByTestId("limits").innerText()).toMatch(/RLIMIT_NOFILE\s+256\s+2048/);
      const signals = await page.getByTestId("signals").innerText();
      expect(signals).toMatch(/Blocked: SIGUSR1, SIGRTMIN\+1, SIGRTMIN\+2, SIGRTMIN\+3/);
      const pending = await page.getByTestId("pending").innerText();
      expect(pending).toMatch(/SIGRTMIN\+1\s+process\s+SI_QUEUE\s+pid \d+, uid 0\s+4660/);
      expect(pending).toMatch(/SIGRTMIN\+2\s+thread \d+\s+SI_QUEUE\s+pid \d+, uid 0\s+99/);
      expect(await page.getByTestId("handlers").innerText()).toMatch(/SIGHUP\s+SIG_IGN/);
      expect(await page.getByTestId("timers").innerText()).toMatch(/POSIX timer 1\s+CLOCK_MONOTONIC\s+SIGALRM to thread \d+/);
      await page.getByTestId("signals").screenshot({ path: join(root, "docs/explorer/signals.png") });
    });
  });
  it("shows a network namespace's devices, addresses and routes (ns-macvlan)", async () => {
    await withExplorer(chrome.browser, [join(root, "test/fixtures/corpus/ns-macvlan/images")], async (page) => {
      await page.getByRole("tab", { name: "Mounts and networks" }).click();
      await page.getByTestId("addresses").waitFor();
      const addresses = await page.getByTestId("addresses").innerText();
      expect(addresses).toMatch(/mvlan0\s+10\.55\.0\.2\/24\s+global\s+permanent/);
      expect(addresses).toMatch(/mvlan0\s+fd55::2\/64\s+global\s+nodad permanent/);
      expect(await page.getByTestId("routes").innerText()).toMatch(/10\.56\.0\.0\/24\s+vext1\s+10\.56\.0\.2\s+main\s+kernel/);
    });
  });
});
