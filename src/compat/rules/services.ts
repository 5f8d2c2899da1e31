import type { MethodModel } from "../model";
import type { Context, Report, Rule, ServicePair } from "../rule";
import { NO_EFFECT } from "../verdict";
import { hazard, hazardsOf, worded } from "../wording";

// Services: a request is written by a client and read by the server, a response the other way.
// Backward is a new server (or client) reading what an old peer wrote; forward the reverse. A
// call to a method the server no longer has fails (gRPC UNIMPLEMENTED) whatever the reader.

function methods(pair: ServicePair): { old?: MethodModel; new?: MethodModel; name: string }[] {
  const names = [...new Set([...(pair.old?.methods.keys() ?? []), ...(pair.new?.methods.keys() ?? [])])].sort();
  return names.map((name) => ({ old: pair.old?.methods.get(name), new: pair.new?.methods.get(name), name }));
}

function typeChange(pair: ServicePair, ctx: Context, side: "input" | "output"): Report[] {
  if (!pair.old || !pair.new) return [];
  const what = side === "input" ? "request" : "response";
  const reports: Report[] = [];
  for (const m of methods(pair)) {
    if (!m.old || !m.new) continue;
    const [a, b] = [m.old[side], m.new[side]];
    if (a === b || ctx.renamedTo(a) === b) continue;
    const cmp = ctx.compareMessageTypes(a, b);
    const base = { path: `${pair.new.fullName}.${m.name}`, location: m.new.location };
    const prefix = `method ${m.name}: ${what} type ${a} → ${b}`;
    reports.push(cmp.rules.length === 0
      ? { ...base, message: `${prefix}: structurally the same on the wire`, verdicts: NO_EFFECT }
      : { ...base, ...worded(`${prefix}: the two types differ (${cmp.rules.join(", ")})`, hazardsOf(cmp.verdicts)) });
  }
  return reports;
}

export const serviceRules: Rule[] = [
  {
    id: "SERVICE_REMOVED",
    purpose: "Checks that no service is removed: calls from old clients fail.",
    categories: ["CRIU_RPC"],
    scope: "service",
    check: ({ old, new: now }) =>
      old && !now ? [worded(`service ${old.fullName} removed (methods ${[...old.methods.keys()].join(", ")})`, hazard("backward", "all", "error", "fail calls from old clients (UNIMPLEMENTED)", "servers"))] : [],
  },
  {
    id: "SERVICE_ADDED",
    purpose: "Reports a service added.",
    categories: ["CRIU_INFO"],
    scope: "service",
    check: ({ old, new: now }) => (!old && now ? [{ message: `service ${now.fullName} added`, verdicts: NO_EFFECT }] : []),
  },
  {
    id: "METHOD_REMOVED",
    purpose: "Checks that no method is removed from a service: calls from old clients fail.",
    categories: ["CRIU_RPC"],
    scope: "service",
    check: (pair) => {
      if (!pair.old || !pair.new) return [];
      return methods(pair).filter((m) => m.old && !m.new).map((m) => ({
        path: `${pair.new!.fullName}.${m.name}`,
        oldLocation: m.old!.location,
        ...worded(`method ${m.name} removed from ${pair.new!.fullName}`, hazard("backward", "all", "error", "fail calls from old clients (UNIMPLEMENTED)", "servers")),
      }));
    },
  },
  {
    id: "METHOD_ADDED",
    purpose: "Reports a method added: old servers answer it with UNIMPLEMENTED, as for any newer method.",
    categories: ["CRIU_INFO"],
    scope: "service",
    check: (pair) => {
      if (!pair.old || !pair.new) return [];
      return methods(pair).filter((m) => !m.old && m.new).map((m) => ({
        path: `${pair.new!.fullName}.${m.name}`,
        location: m.new!.location,
        message: `method ${m.name} added to ${pair.new!.fullName}`,
        verdicts: NO_EFFECT,
      }));
    },
  },
  {
    id: "METHOD_REQUEST_TYPE_CHANGED",
    purpose: "Checks a method's new request type against the old one structurally: servers read what clients of the other revision send.",
    categories: ["CRIU_RPC", "CRIU_WIRE"],
    scope: "service",
    check: (pair, ctx) => typeChange(pair, ctx, "input"),
  },
  {
    id: "METHOD_RESPONSE_TYPE_CHANGED",
    purpose: "Checks a method's new response type against the old one structurally: clients read what servers of the other revision send.",
    categories: ["CRIU_RPC", "CRIU_WIRE"],
    scope: "service",
    check: (pair, ctx) => typeChange(pair, ctx, "output"),
  },
  {
    id: "METHOD_STREAMING_CHANGED",
    purpose: "Checks that no method switches between unary and streaming requests or responses: peers of the other revision fail the call.",
    categories: ["CRIU_RPC"],
    scope: "service",
    check: (pair) => {
      if (!pair.old || !pair.new) return [];
      const reports: Report[] = [];
      for (const m of methods(pair)) {
        if (!m.old || !m.new) continue;
        const flip = (side: string, a: boolean, b: boolean) => (a === b ? [] : [`${side} ${a ? "streaming" : "unary"} → ${b ? "streaming" : "unary"}`]);
        const changes = [...flip("request", m.old.clientStreaming, m.new.clientStreaming), ...flip("response", m.old.serverStreaming, m.new.serverStreaming)];
        if (!changes.length) continue;
        reports.push({
          path: `${pair.new.fullName}.${m.name}`,
          location: m.new.location,
          ...worded(`method ${m.name}: ${changes.join(", ")}`, hazard("either", "all", "error", "fail calls with peers of the other revision (a unary side gets several messages, or a stream gets one)", "peers")),
        });
      }
      return reports;
    },
  },
];
