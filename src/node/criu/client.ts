import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  criu_req_type,
  type criu_dump_resp,
  type criu_features,
  type criu_featuresSchema,
  type criu_page_server_info,
  type criu_resp,
  type criu_restore_resp,
  type criu_version,
} from "../../gen/rpc_pb";
import { CriuError } from "./errors";
import { exchange, typeName, type CriuRequest } from "./exchange";
import { hasHandlers, type NotifyHandlers } from "./notify";
import { prepareOptions, type CriuOptions } from "./options";
import { openTransport, type CriuTarget } from "./transport";
import { criuVersionAtLeast } from "./version";

export interface CriuClientOptions {
  /** swrk mode: the CRIU binary (default: $CRIU_BINARY, else `criu` from PATH). */
  binary?: string;
  /** service mode: the socket of a running `criu service`. */
  socketPath?: string;
  /** An inherited, connected SOCK_SEQPACKET fd to CRIU; it serves one call and is closed after it. */
  fd?: number;
  /** swrk mode: fds of this process given to the CRIU child as 4, 5, ... (for criu_opts.inherit_fd). */
  extraFds?: readonly number[];
  /** Default time limit of each call, in ms; CRIU is killed (swrk) or the socket closed when it passes. */
  timeoutMs?: number;
  /** Default notify callbacks; setting any turns criu_opts.notify_scripts on. */
  notify?: NotifyHandlers;
}

/** Per-call settings, overriding the client's. */
export interface CallOptions {
  timeoutMs?: number;
  notify?: NotifyHandlers;
}

export type CriuFeatures = Omit<MessageInitShape<typeof criu_featuresSchema>, "$typeName">;

export interface CriuClient {
  readonly target: CriuTarget;
  version(call?: CallOptions): Promise<criu_version>;
  /** Whether CRIU is `version` ("4.2", "4.2.1" or 40200) or newer. */
  isCriuAtLeast(version: string | number, call?: CallOptions): Promise<boolean>;
  /** Runs CRIU's kernel check; rejects (criu-failed) when CRIU finds something missing. */
  check(call?: CallOptions): Promise<void>;
  /** The features asked for, each answered true or false. */
  featureCheck(features: CriuFeatures, call?: CallOptions): Promise<criu_features>;
  dump(opts: CriuOptions, call?: CallOptions): Promise<criu_dump_resp>;
  preDump(opts: CriuOptions, call?: CallOptions): Promise<void>;
  restore(opts: CriuOptions, call?: CallOptions): Promise<criu_restore_resp>;
  /** Starts a page server as a daemon; stop it by killing `pid`. */
  pageServer(opts: CriuOptions, call?: CallOptions): Promise<criu_page_server_info>;
  /** Starts a page server as a child of CRIU, answered as soon as it listens. */
  pageServerChild(opts: CriuOptions, call?: CallOptions): Promise<criu_page_server_info>;
  /** Waits (through CRIU) for a child of CRIU's to end; its wait status. */
  waitPid(pid: number, call?: CallOptions): Promise<number>;
  cpuinfoDump(opts: CriuOptions, call?: CallOptions): Promise<void>;
  cpuinfoCheck(opts: CriuOptions, call?: CallOptions): Promise<void>;
  /** Any request, for what the typed calls do not cover; the response is checked for type and success. */
  request(request: CriuRequest, opts?: CriuOptions, call?: CallOptions): Promise<criu_resp>;
}

export function createCriuClient(options: CriuClientOptions = {}): CriuClient {
  const target = targetOf(options);
  let fdUsed = false;

  async function call(request: CriuRequest, opts: CriuOptions | undefined, callOptions: CallOptions = {}): Promise<criu_resp> {
    if (target.mode === "fd") {
      if (fdUsed) throw new CriuError("bad-option", `fd ${target.fd} served one call already; CRIU answers one request per connection`);
      fdUsed = true;
    }
    const notify = callOptions.notify ?? options.notify;
    const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs;
    const prepared = opts ? prepareOptions(hasHandlers(notify) ? { ...opts, notifyScripts: true } : opts) : undefined;
    try {
      const transport = await openTransport(target);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        if (timeoutMs === undefined) return;
        timer = setTimeout(() => {
          transport.kill();
          reject(new CriuError("timeout", `CRIU did not answer ${typeName(request.type ?? criu_req_type.EMPTY)} within ${timeoutMs} ms`, { request: request.type }));
        }, timeoutMs);
      });
      try {
        const req = prepared ? { ...request, opts: prepared.opts } : request;
        return await Promise.race([exchange(transport, req, { notify, logPath: prepared?.logPath }), timedOut]);
      } finally {
        clearTimeout(timer);
        await transport.close();
      }
    } finally {
      prepared?.close();
    }
  }

  const version = async (c?: CallOptions) => {
    const resp = await call({ type: criu_req_type.VERSION }, undefined, c);
    if (!resp.version) throw new CriuError("bad-response", "CRIU's VERSION answer has no version", { request: criu_req_type.VERSION });
    return resp.version;
  };
  const pageServerInfo = async (type: criu_req_type, opts: CriuOptions, c?: CallOptions) => {
    const resp = await call({ type }, opts, c);
    if (!resp.ps) throw new CriuError("bad-response", "CRIU's page server answer has no ps", { request: type });
    return resp.ps;
  };

  return {
    target,
    version,
    isCriuAtLeast: async (wanted, c) => criuVersionAtLeast(await version(c), wanted),
    check: async (c) => void (await call({ type: criu_req_type.CHECK }, undefined, c)),
    featureCheck: async (features, c) => {
      const resp = await call({ type: criu_req_type.FEATURE_CHECK, features }, undefined, c);
      if (!resp.features) throw new CriuError("bad-response", "CRIU's FEATURE_CHECK answer has no features", { request: criu_req_type.FEATURE_CHECK });
      return resp.features;
    },
    dump: async (opts, c) => (await call({ type: criu_req_type.DUMP }, opts, c)).dump ?? emptyDump(),
    preDump: async (opts, c) => void (await call({ type: criu_req_type.PRE_DUMP }, opts, c)),
    restore: async (opts, c) => {
      const resp = await call({ type: criu_req_type.RESTORE }, opts, c);
      if (!resp.restore) throw new CriuError("bad-response", "CRIU's RESTORE answer has no restore", { request: criu_req_type.RESTORE });
      return resp.restore;
    },
    pageServer: (opts, c) => pageServerInfo(criu_req_type.PAGE_SERVER, opts, c),
    pageServerChild: (opts, c) => pageServerInfo(criu_req_type.PAGE_SERVER_CHLD, opts, c),
    waitPid: async (pid, c) => (await call({ type: criu_req_type.WAIT_PID, pid }, undefined, c)).status,
    cpuinfoDump: async (opts, c) => void (await call({ type: criu_req_type.CPUINFO_DUMP }, opts, c)),
    cpuinfoCheck: async (opts, c) => void (await call({ type: criu_req_type.CPUINFO_CHECK }, opts, c)),
    request: (request, opts, c) => call(request, opts, c),
  };
}

function targetOf(options: CriuClientOptions): CriuTarget {
  const given = [options.binary, options.socketPath, options.fd].filter((v) => v !== undefined).length;
  if (given > 1) throw new CriuError("bad-option", "give one of binary (swrk), socketPath (service) or fd");
  if (options.socketPath !== undefined) return { mode: "service", socketPath: options.socketPath };
  if (options.fd !== undefined) return { mode: "fd", fd: options.fd };
  const binary = options.binary ?? (process.env.CRIU_BINARY || "criu");
  return { mode: "swrk", binary, extraFds: options.extraFds };
}

/** A DUMP answer without its optional dump part: the dumping side, nothing restored. */
function emptyDump(): criu_dump_resp {
  return { $typeName: "criu_dump_resp", restored: false };
}
