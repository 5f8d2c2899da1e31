import { closeSync, constants, fstatSync, openSync, readlinkSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { criu_optsSchema, type criu_opts } from "../../gen/rpc_pb";
import { CriuError } from "./errors";

/**
 * criu_opts as a partial typed object, with the image and work directories given as a path
 * (opened here, passed to CRIU as images_dir_fd / work_dir_fd and closed after the call) or as
 * an fd of this process (left open). CRIU opens these fds through /proc/<peer pid>/fd/<n>, the
 * peer being the process that made the socket: this one in swrk and service mode.
 */
export type CriuOptions = Omit<MessageInitShape<typeof criu_optsSchema>, "$typeName" | "imagesDirFd" | "workDirFd" | "imagesDir"> & {
  imagesDir?: string | number;
  workDir?: string | number;
};

export interface PreparedOptions {
  opts: criu_opts;
  /** Where CRIU writes log_file, when it is known. */
  logPath: string | undefined;
  /** Closes the directories opened here. */
  close(): void;
}

export function prepareOptions(options: CriuOptions): PreparedOptions {
  const { imagesDir, workDir, ...rest } = options;
  const opened: number[] = [];
  const close = () => opened.splice(0).forEach((fd) => closeSync(fd));
  try {
    const imagesDirFd = imagesDir === undefined ? -1 : dirFd(imagesDir, "imagesDir", opened);
    const workDirFd = workDir === undefined ? undefined : dirFd(workDir, "workDir", opened);
    const opts = create(criu_optsSchema, { ...rest, imagesDirFd, ...(workDirFd === undefined ? {} : { workDirFd }) });
    const logDir = workDirFd ?? (imagesDirFd >= 0 ? imagesDirFd : undefined);
    return { opts, logPath: logPathOf(opts.logFile, logDir), close };
  } catch (err) {
    close();
    throw err;
  }
}

function dirFd(dir: string | number, name: string, opened: number[]): number {
  if (typeof dir === "number") {
    if (!Number.isInteger(dir) || dir < 0) throw new CriuError("bad-option", `${name}: ${dir} is not a file descriptor`);
    return dir;
  }
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch (err) {
    throw new CriuError("bad-option", `${name}: cannot open directory ${dir}: ${(err as Error).message}`, { cause: err });
  }
  opened.push(fd);
  return fd;
}

/** CRIU writes a relative log_file into the work directory, which defaults to the images directory. */
function logPathOf(logFile: string, dirFd: number | undefined): string | undefined {
  if (logFile === "" || logFile === "-") return undefined;
  if (isAbsolute(logFile)) return logFile;
  if (dirFd === undefined) return undefined;
  try {
    if (!fstatSync(dirFd).isDirectory()) return undefined;
    return join(readlinkSync(`/proc/self/fd/${dirFd}`), logFile);
  } catch {
    return undefined;
  }
}
