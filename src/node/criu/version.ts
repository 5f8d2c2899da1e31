import type { criu_version } from "../../gen/rpc_pb";

/** A CRIU version as one number, major * 10000 + minor * 100 + sublevel (go-criu's convention): 4.2 is 40200. */
export function criuVersionNumber(version: Pick<criu_version, "majorNumber" | "minorNumber" | "sublevel">): number {
  return version.majorNumber * 10000 + version.minorNumber * 100 + version.sublevel;
}

/** Parses "4.2", "4.2.1" or a number such as 40200 into the number form. */
export function parseCriuVersion(version: string | number): number {
  if (typeof version === "number") {
    if (!Number.isInteger(version) || version < 0) throw new RangeError(`not a CRIU version number: ${version}`);
    return version;
  }
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version.trim());
  if (!match) throw new RangeError(`not a CRIU version: ${JSON.stringify(version)} (expected MAJOR.MINOR or MAJOR.MINOR.SUBLEVEL)`);
  return Number(match[1]) * 10000 + Number(match[2]) * 100 + Number(match[3] ?? 0);
}

/** Whether `actual` is `wanted` or newer. */
export function criuVersionAtLeast(actual: criu_version, wanted: string | number): boolean {
  return criuVersionNumber(actual) >= parseCriuVersion(wanted);
}
