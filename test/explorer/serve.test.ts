// `crit explore` listens on 127.0.0.1 only, serves ranges of the dump's files, and stops cleanly
// on SIGINT and SIGTERM. No browser needed.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startExplore } from "./browser";

const root = join(import.meta.dirname, "..", "..");
const images = join(root, "test/fixtures/corpus/proc-minimal/images");

/** The local addresses (hex, as /proc/net/tcp{,6} writes them) listening on `port`. */
function listeners(port: number): string[] {
  const out: string[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== "0A") continue; // 0A: LISTEN
      const [addr, p] = cols[1]!.split(":");
      if (parseInt(p!, 16) === port) out.push(addr!);
    }
  }
  return out;
}

describe("crit explore (server)", () => {
  it("listens on 127.0.0.1 only and stops with exit 0 on SIGINT", async () => {
    const { child, url } = await startExplore([images, "--port", "0"]);
    const port = Number(new URL(url).port);
    expect(listeners(port)).toEqual(["0100007F"]);
    const exit = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    child.kill("SIGINT");
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(listeners(port)).toEqual([]);
  });

  it("serves the members, whole and by range, and nothing else", async () => {
    const { child, url } = await startExplore([images]);
    try {
      const members = (await (await fetch(`${url}api/members`)).json()) as { name: string; size: number }[];
      expect(members.map((m) => m.name)).toContain("pstree.img");
      const whole = new Uint8Array(await (await fetch(`${url}api/member/pstree.img`)).arrayBuffer());
      expect(whole).toEqual(new Uint8Array(readFileSync(join(images, "pstree.img"))));
      const part = await fetch(`${url}api/member/pstree.img`, { headers: { Range: "bytes=4-11" } });
      expect(part.status).toBe(206);
      expect(new Uint8Array(await part.arrayBuffer())).toEqual(whole.subarray(4, 12));
      expect((await fetch(`${url}api/member/pstree.img`, { headers: { Range: "bytes=99999-" } })).status).toBe(416);
      expect((await fetch(`${url}api/member/..%2f..%2fpackage.json`)).status).toBe(404);
      expect((await fetch(`${url}..%2fpackage.json`)).status).toBe(404);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("streams a whole member of a compressed archive with the bytes its ranges have", async () => {
    const archive = join(root, "test/fixtures/archives/podman-forensics.tar.zst");
    const { child, url } = await startExplore([archive]);
    try {
      const members = (await (await fetch(`${url}api/members`)).json()) as { name: string; size: number }[];
      const pages = members.find((m) => m.name === "checkpoint/pages-1.img")!;
      const response = await fetch(`${url}api/member/checkpoint/pages-1.img`);
      expect(response.headers.get("content-length")).toBe(String(pages.size));
      const whole = new Uint8Array(await response.arrayBuffer());
      expect(whole.length).toBe(pages.size);
      for (const [from, to] of [[0, 4095], [pages.size - 5000, pages.size - 1]] as const) {
        const part = await fetch(`${url}api/member/checkpoint/pages-1.img`, { headers: { Range: `bytes=${from}-${to}` } });
        expect(new Uint8Array(await part.arrayBuffer())).toEqual(whole.subarray(from, to + 1));
      }
      expect(whole.some((b) => b !== 0)).toBe(true);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("serves the checkpoint given with --diff under api/b/, and names it in api/source", async () => {
    const b = join(root, "test/fixtures/diff/forensics-mutated-b.tar.zst");
    const { child, url } = await startExplore([images, "--diff", b]);
    try {
      expect(await (await fetch(`${url}api/source`)).json()).toEqual({
        label: images,
        format: "directory",
        diff: { label: b, format: "tar.zst" },
      });
      const members = (await (await fetch(`${url}api/b/members`)).json()) as { name: string; size: number }[];
      expect(members.map((m) => m.name)).toContain("checkpoint/pstree.img");
      const part = await fetch(`${url}api/b/member/checkpoint/pstree.img`, { headers: { Range: "bytes=0-3" } });
      expect(part.status).toBe(206);
      expect((await part.arrayBuffer()).byteLength).toBe(4);
      // A is still at api/.
      expect(((await (await fetch(`${url}api/members`)).json()) as { name: string }[]).map((m) => m.name)).toContain("pstree.img");
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("answers 404 under api/b/ without --diff, and refuses --diff without DUMP (exit 2)", async () => {
    const { child, url } = await startExplore([images]);
    try {
      expect((await fetch(`${url}api/b/members`)).status).toBe(404);
      expect(await (await fetch(`${url}api/source`)).json()).not.toHaveProperty("diff");
    } finally {
      child.kill("SIGTERM");
    }
    await expect(startExplore(["--diff", images])).rejects.toThrow(/exited 2: .*--diff B compares DUMP with B: give DUMP too/);
  });
});
