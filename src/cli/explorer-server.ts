// `crit explore [DUMP] [--diff B]`: serves the checkpoint explorer (dist/explorer) on 127.0.0.1
// only, and, when DUMP is given (a dump directory or a checkpoint archive), that dump's files to
// the page (members listed, each read by range), so the page reads only what it shows; B, the
// checkpoint to compare DUMP with, the same way under api/b/. Stops on SIGINT or SIGTERM.

import { readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { keepTaskStrings } from "../checkpoint/model/keep-task-strings";
import type { CheckpointSource, MemberInfo } from "../source/source";
import { openSource } from "../node/open-source";

const STATIC: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "main.js": "text/javascript; charset=utf-8",
  "worker.js": "text/javascript; charset=utf-8",
  "style.css": "text/css; charset=utf-8",
  "main.js.map": "application/json",
  "worker.js.map": "application/json",
};

export interface ExplorerServer {
  url: string;
  close(): Promise<void>;
}

/** A checkpoint the server hands to the page. */
interface Served {
  source: CheckpointSource;
  members: readonly MemberInfo[];
}

async function serve(path: string | undefined): Promise<Served | undefined> {
  if (path === undefined) return undefined;
  // The pass that opens a compressed archive keeps the pages of argv and environment too, so
  // that the page's model reads them without the server decompressing the archive again.
  const source = await openSource(path, { keepRanges: keepTaskStrings });
  return { source, members: await source.members() };
}

/** Starts the server; resolves once it listens. `second`: the checkpoint the page compares `dump` with. */
export async function serveExplorer(dump: string | undefined, port = 0, second?: string): Promise<ExplorerServer> {
  const pageDir = fileURLToPath(new URL("./explorer/", import.meta.url));
  if (!existsDir(pageDir)) throw new Error(`explore: the page is not built (${pageDir} is missing): run npm run build`);
  const a = await serve(dump);
  const b = await serve(second).catch(async (err: unknown) => {
    await a?.source.close();
    throw err;
  });
  const server = createServer((req, res) => {
    handle(req, res, pageDir, a, b).catch((err: unknown) => send(res, 500, "text/plain", String(err instanceof Error ? err.message : err)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        void a?.source.close();
        void b?.source.close();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, pageDir: string, a: Served | undefined, b: Served | undefined): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "only GET");
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
  if (path === "/") return sendFile(res, join(pageDir, "index.html"), STATIC["index.html"]!);
  const file = path.slice(1);
  if (STATIC[file]) return sendFile(res, join(pageDir, file), STATIC[file]);
  // null: no dump was given, the user picks one in the page; `diff`: the one to compare it with.
  if (path === "/api/source") {
    const about = (s: Served) => ({ label: s.source.label, format: s.source.format });
    return send(res, 200, "application/json", JSON.stringify(a ? { ...about(a), ...(b ? { diff: about(b) } : {}) } : null));
  }
  if (path.startsWith("/api/b/")) {
    if (!b) return send(res, 404, "text/plain", "no second checkpoint was given to crit explore (--diff)");
    return serveMembers(req, res, `/api/${path.slice("/api/b/".length)}`, b);
  }
  if (!a) return send(res, 404, "text/plain", "no dump was given to crit explore");
  return serveMembers(req, res, path, a);
}

/** api/members and api/member/NAME (whole or one range) of one checkpoint. */
async function serveMembers(req: IncomingMessage, res: ServerResponse, path: string, { source, members }: Served): Promise<void> {
  if (path === "/api/members") return send(res, 200, "application/json", JSON.stringify(members));
  if (path.startsWith("/api/member/")) {
    const name = path.slice("/api/member/".length);
    const member = members.find((m) => m.name === name && m.type === "file");
    if (!member) return send(res, 404, "text/plain", `${name}: no such file in ${source.label}`);
    const range = parseRange(req.headers.range, member.size);
    if (range === "bad") {
      res.writeHead(416, { "Content-Range": `bytes */${member.size}` });
      return void res.end();
    }
    if (range) {
      const [bytes] = await source.readRanges([{ name, offset: range.start, length: range.end - range.start + 1 }]);
      res.writeHead(206, { "Content-Type": "application/octet-stream", "Content-Range": `bytes ${range.start}-${range.end}/${member.size}`, "Content-Length": bytes!.length });
      return void res.end(bytes);
    }
    return sendMember(req, res, source, member);
  }
  send(res, 404, "text/plain", "not found");
}

/**
 * A whole member, streamed as the source reads it (one pass over a compressed archive, never the
 * member held whole): the page's search and diff read pages this way. A failure once the
 * headers are out cuts the response short, which the page sees as a failed read.
 */
async function sendMember(req: IncomingMessage, res: ServerResponse, source: CheckpointSource, member: MemberInfo): Promise<void> {
  res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": member.size, "Accept-Ranges": "bytes" });
  if (req.method === "HEAD") return void res.end();
  const gone = new AbortController();
  res.once("close", () => gone.abort());
  try {
    await source.stream(
      [member.name],
      (_name, _offset, chunk) => {
        // A copy: the socket may still hold the bytes after the callback, when the source reuses its buffers.
        if (res.write(chunk.slice()) || gone.signal.aborted) return;
        return new Promise<void>((resolve) => {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.once("drain", done);
          res.once("close", done);
        });
      },
      gone.signal,
    );
    res.end();
  } catch (err) {
    res.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

/** `bytes=a-b` (one range): the inclusive range, undefined without a header, "bad" when unsatisfiable. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined | "bad" {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "bad";
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? "bad" : { start, end };
}

function sendFile(res: ServerResponse, path: string, type: string): void {
  send(res, 200, type, readFileSync(path));
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, { "Content-Type": type, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" });
  res.end(body);
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
