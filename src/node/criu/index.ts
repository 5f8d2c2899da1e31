/** The CRIU RPC client: typed requests to a real CRIU (swrk child, service socket or inherited fd). */
export { createCriuClient, type CallOptions, type CriuClient, type CriuClientOptions, type CriuFeatures } from "./client";
export { CriuError, isCriuError, type CriuErrorDetails, type CriuErrorKind } from "./errors";
export { NOTIFY_SCRIPTS, type NotifyEvent, type NotifyHandler, type NotifyHandlers, type NotifyScript } from "./notify";
export type { CriuOptions } from "./options";
export type { CriuExit, CriuTarget } from "./transport";
export { criuVersionAtLeast, criuVersionNumber, parseCriuVersion } from "./version";
