import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** How many fds this process has open. */
export function openFdCount(): number {
  return readdirSync("/proc/self/fd").length;
}

/** The pids of this process's children (of all its threads), zombies included. */
export function childPids(): number[] {
  const pids: number[] = [];
  for (const task of readdirSync("/proc/self/task")) {
    const text = readFileSync(`/proc/self/task/${task}/children`, "utf8").trim();
    if (text) pids.push(...text.split(/\s+/).map(Number));
  }
  return pids;
}

/** Waits until `check` holds, polling; false when it still does not after `ms`. */
export async function eventually(check: () => boolean, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** The pid of the process listening on TCP `port` (IPv4), found through /proc/net/tcp and /proc/PID/fd. */
export function tcpListenerPid(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length > 9 && cols[1]!.endsWith(`:${hexPort}`) && cols[3] === "0A") inodes.add(cols[9]!);
  }
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match && inodes.has(match[1]!)) return Number(pid);
      } catch {
        // gone meanwhile
      }
    }
  }
  return undefined;
}
