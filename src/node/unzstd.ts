// Node-only: zstd through the system's `zstd` tool as a child process, when there is one. The C
// decoder is ~10x faster than fzstd here (2 GiB: 0.4 s against 4.9 s), and decompression decides
// how long reading a .tar.zst checkpoint takes. The compressed bytes are written to its stdin as
// the archive reader pulls output from its stdout, so memory stays bounded by the pipes' buffers.
// The frames' structure (window sizes, truncation) is still checked on the compressed side by
// src/source/decompress.ts; the tool checks each frame's content size and checksum.
//
// CRIU_IMAGES_ZSTD chooses: a path to a zstd binary, or "builtin" for the JavaScript decoder.

import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { Readable } from "node:stream";
import type { PlatformDecoder } from "../source/decompress";

/** Decoded bytes are handed on in pieces of this size. */
const PIECE = 1 << 20;

/** The zstd binary to run, or undefined to use the built-in decoder. */
export function zstdBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.CRIU_IMAGES_ZSTD;
  if (chosen === "builtin") return undefined;
  if (chosen !== undefined && chosen !== "") {
    if (!executable(chosen)) throw new Error(`CRIU_IMAGES_ZSTD=${chosen}: not an executable file (give a zstd binary, or "builtin")`);
    return chosen;
  }
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && isAbsolute(dir) && executable(join(dir, "zstd"))) return join(dir, "zstd");
  }
  return undefined;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A platform decoder running `binary -dc`; its failures carry the tool's own message. */
export function zstdProcess(binary: string): PlatformDecoder {
  return async function* unzstdProcess(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const child = spawn(binary, ["-d", "-c", "-q", "--no-progress"], { stdio: ["pipe", "pipe", "pipe"] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      child.once("error", (error) => resolve({ code: null, signal: null, error }));
      child.once("close", (code, signal) => resolve({ code, signal }));
    });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      if (stderr.length < 4096) stderr += text;
    });
    let inputError: unknown;
    const input = Readable.from(chunks, { objectMode: false });
    input.once("error", (err) => {
      inputError = err;
      child.kill("SIGKILL");
    });
    // The tool may stop reading (it failed, or we stopped it): its stdin then fails with EPIPE.
    child.stdin.on("error", () => {});
    input.pipe(child.stdin);
    let done = false;
    try {
      for await (const chunk of child.stdout) yield chunk as Uint8Array;
      const end = await exited;
      if (inputError !== undefined) throw inputError;
      if (end.error) throw new Error(`cannot run ${binary}: ${end.error.message}`);
      if (end.code !== 0) throw new Error(`${binary} failed (${end.signal ?? `exit ${end.code}`}): ${stderr.trim().replace(/\s+/g, " ") || "no message"}`);
      done = true;
    } catch (err) {
      // A failed input (a structure error found on the compressed side) says more than the tool's complaint.
      throw inputError ?? err;
    } finally {
      input.destroy();
      if (!done) child.kill("SIGKILL");
      await exited;
    }
  };
}
