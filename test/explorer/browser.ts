// Headless Chromium for the explorer's tests: Debian's chromium driven by playwright-core (its
// own browser download cannot be had here). Tests skip, saying why, when no browser is found.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p): p is string => p !== undefined && p !== "" && existsSync(p));
}

export interface OpenBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launch(executablePath: string): Promise<OpenBrowser> {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** A page that records console errors and uncaught exceptions; `errors` must stay empty. */
export async function watchedPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`page: ${err.message}`));
  return { page, errors };
}

const crit = join(import.meta.dirname, "..", "..", "dist", "crit.cjs");

/** Starts `crit explore ARGS` and resolves with the child and the URL it printed. */
export function startExplore(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [crit, "explore", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`crit explore exited ${code}: ${err}`)));
  });
}

export function stopped(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/**
 * Runs `crit explore ARGS`, opens its URL in a watched page, hands the page to `use`, and stops
 * the server whatever happens. Fails when the page logged an error.
 */
export async function withExplorer(browser: Browser, args: string[], use: (page: Page) => Promise<void>): Promise<void> {
  const { child, url } = await startExplore(args);
  try {
    const { page, errors } = await watchedPage(browser);
    await page.goto(url);
    await use(page);
    if (errors.length) throw new Error(`the page logged errors:\n${errors.join("\n")}`);
  } finally {
    child.kill("SIGINT");
    await stopped(child);
  }
}
