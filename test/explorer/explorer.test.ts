// The explorer in a real headless Chromium: served by `crit explore`, a dump opened through the
// page's folder input and through the server, the overview, the image list and crit's pretty JSON
// of an image. Screenshots go to docs/explorer/ (the README shows them).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launch, startExplore, stopped, watchedPage, type OpenBrowser } from "./browser";

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
    const { child, url } = await startExplore([]);
    try {
      const { page, errors } = await watchedPage(chrome.browser);
      await page.goto(url);
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
      expect(errors).toEqual([]);
    } finally {
      child.kill("SIGINT");
      await stopped(child);
    }
  });

  it("opens the dump given to crit explore, read from the server by range", async () => {
    const { child, url } = await startExplore([join(minimal, "images")]);
    try {
      const { page, errors } = await watchedPage(chrome.browser);
      await page.goto(url);
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      expect(await page.locator("table.facts").first().innerText()).toMatch(/Source\s+.*proc-minimal\/images \(http\)/);
      await page.getByRole("tab", { name: "Images" }).click();
      await page.getByRole("button", { name: "files.img" }).click();
      const json = await page.getByTestId("json").innerText();
      expect(json).toBe(readFileSync(join(minimal, "crit/files.img.pretty.json"), "utf8").trimEnd());
      expect(errors).toEqual([]);
    } finally {
      child.kill("SIGINT");
      await stopped(child);
    }
  });

  it("opens a podman checkpoint archive (tar.zst) picked in the page, images under checkpoint/", async () => {
    const { child, url } = await startExplore([]);
    try {
      const { page, errors } = await watchedPage(chrome.browser);
      await page.goto(url);
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
      expect(errors).toEqual([]);
    } finally {
      child.kill("SIGINT");
      await stopped(child);
    }
  });

  it("opens an archive given to crit explore", async () => {
    const { child, url } = await startExplore([join(root, "test/fixtures/archives/podman-busybox.tar.zst")]);
    try {
      const { page, errors } = await watchedPage(chrome.browser);
      await page.goto(url);
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      expect(await page.locator("table.facts").first().innerText()).toMatch(/Images\s+\d+ under checkpoint\//);
      expect(errors).toEqual([]);
    } finally {
      child.kill("SIGINT");
      await stopped(child);
    }
  });
});
