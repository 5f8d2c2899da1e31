import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { criu_reqSchema, criu_req_type, criu_respSchema, type criu_resp } from "../../gen/rpc_pb";
import { CriuError } from "./errors";
import { readLogTail } from "./log-tail";
import { runNotify, type NotifyHandlers } from "./notify";
import type { CriuTransport } from "./transport";

export type CriuRequest = MessageInitShape<typeof criu_reqSchema>;

/** What an exchange needs besides the request. */
export interface ExchangeContext {
  notify?: NotifyHandlers;
  /** Where CRIU's log is, for the tail attached to a failure. */
  logPath?: string;
}

/**
 * Sends one request and reads CRIU's messages until the response: NOTIFY messages in between
 * are answered with the callback's verdict. A response of another type, an unsuccessful one or
 * a failed callback rejects with a CriuError.
 */
export async function exchange(transport: CriuTransport, request: CriuRequest, context: ExchangeContext = {}): Promise<criu_resp> {
  const req = create(criu_reqSchema, request);
  const type = req.type;
  await transport.send(toBinary(criu_reqSchema, req));
  let notifyFailure: CriuError | undefined;
  for (;;) {
    const resp = decodeResponse(await transport.receive(), type);
    if (resp.type === criu_req_type.NOTIFY && type !== criu_req_type.NOTIFY) {
      const outcome = await runNotify(context.notify, resp.notify);
      const script = resp.notify?.script ?? "";
      if (!outcome.ok && "error" in outcome)
        notifyFailure ??= new CriuError("notify-failed", `the ${script} notify callback threw: ${String((outcome.error as Error)?.message ?? outcome.error)}`, {
          request: type,
          cause: outcome.error,
        });
      await transport.send(toBinary(criu_reqSchema, create(criu_reqSchema, { type: criu_req_type.NOTIFY, notifySuccess: outcome.ok })));
      continue;
    }
    if (resp.type !== answerType(type))
      throw new CriuError("bad-response", `CRIU answered ${typeName(resp.type)} to a ${typeName(type)} request`, { request: type });
    if (notifyFailure) throw notifyFailure;
    if (!resp.success) throw failure(resp, type, context.logPath);
    return resp;
  }
}

/** The response type CRIU sends for a request type: PAGE_SERVER_CHLD is answered as PAGE_SERVER. */
function answerType(request: criu_req_type): criu_req_type {
  return request === criu_req_type.PAGE_SERVER_CHLD ? criu_req_type.PAGE_SERVER : request;
}

export function decodeResponse(bytes: Uint8Array, request: criu_req_type): criu_resp {
  try {
    return fromBinary(criu_respSchema, bytes);
  } catch (err) {
    throw new CriuError("bad-response", `CRIU's answer to ${typeName(request)} does not decode as criu_resp (${bytes.length} bytes): ${(err as Error).message}`, {
      request,
      cause: err,
    });
  }
}

function failure(resp: criu_resp, request: criu_req_type, logPath: string | undefined): CriuError {
  const logTail = readLogTail(logPath);
  const crErrmsg = resp.crErrmsg.trim() || undefined;
  // cr_errmsg is the first error CRIU logged, often a harmless one; the log's last error says why it stopped.
  const lastError = logTail?.filter((line) => /\bError\b/.test(line) && !/FAILED\.$/.test(line)).at(-1);
  const why = [crErrmsg, lastError].filter((s, i, all) => s !== undefined && all.indexOf(s) === i).join("; ") || "no message";
  const errno = resp.crErrno ? ` (errno ${resp.crErrno})` : "";
  return new CriuError("criu-failed", `CRIU ${typeName(request)} failed${errno}: ${why}${logPath ? ` (log: ${logPath})` : ""}`, {
    request,
    crErrno: resp.crErrno || undefined,
    crErrmsg,
    logTail,
    logPath,
  });
}

export function typeName(type: criu_req_type): string {
  return criu_req_type[type] ?? `type ${type}`;
}
