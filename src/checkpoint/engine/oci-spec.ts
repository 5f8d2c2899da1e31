// The parts of an OCI runtime spec (spec.dump) a checkpoint reader shows: mounts, the process'
// arguments and environment, annotations, hostname. Fields of the wrong type are left out.

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface OciSpec {
  hostname: string | undefined;
  process: { args: string[]; env: string[]; cwd: string | undefined } | undefined;
  mounts: OciMount[];
  /** In the order written. */
  annotations: Record<string, string>;
}

export function parseSpec(json: Record<string, unknown>): OciSpec {
  const process = json.process as Record<string, unknown> | undefined;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
  const annotations: Record<string, string> = {};
  if (json.annotations && typeof json.annotations === "object") {
    for (const [k, v] of Object.entries(json.annotations as Record<string, unknown>)) if (typeof v === "string") annotations[k] = v;
  }
  return {
    hostname: str(json.hostname),
    process: process && typeof process === "object" ? { args: strings(process.args), env: strings(process.env), cwd: str(process.cwd) } : undefined,
    mounts: (Array.isArray(json.mounts) ? json.mounts : [])
      .filter((m): m is Record<string, unknown> => typeof m === "object" && m !== null)
      .map((m) => ({ destination: str(m.destination) ?? "", type: str(m.type) ?? "", source: str(m.source) ?? "", options: strings(m.options) })),
    annotations,
  };
}
