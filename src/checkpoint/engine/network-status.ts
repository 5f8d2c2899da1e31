// Podman's network.status: per network, per interface, the subnets (address/prefix, gateway) and
// the MAC address. Podman 4+ writes an object keyed by network name; `null` without a network.

export interface NetworkInterface {
  name: string;
  /** "10.88.0.7/16": the first subnet's address with its prefix. */
  ip: string | undefined;
  mac: string | undefined;
  gateway: string | undefined;
  /** Every subnet, first included. */
  subnets: { ipnet: string; gateway: string | undefined }[];
}

export interface NetworkInfo {
  name: string;
  interfaces: NetworkInterface[];
}

export function parseNetworkStatus(json: Record<string, unknown> | undefined, warn: (message: string) => void): NetworkInfo[] {
  if (!json) return [];
  const out: NetworkInfo[] = [];
  for (const [name, value] of Object.entries(json)) {
    const ifaces = (value as { interfaces?: unknown } | null)?.interfaces;
    if (typeof ifaces !== "object" || ifaces === null) {
      warn(`network ${JSON.stringify(name)}: no "interfaces" object`);
      continue;
    }
    const interfaces: NetworkInterface[] = [];
    for (const [ifName, raw] of Object.entries(ifaces as Record<string, unknown>)) {
      const iface = (raw ?? {}) as { subnets?: unknown; mac_address?: unknown };
      const subnets = (Array.isArray(iface.subnets) ? iface.subnets : [])
        .map((s) => s as { ipnet?: unknown; gateway?: unknown })
        .filter((s) => typeof s.ipnet === "string")
        .map((s) => ({ ipnet: s.ipnet as string, gateway: typeof s.gateway === "string" ? s.gateway : undefined }));
      interfaces.push({
        name: ifName,
        ip: subnets[0]?.ipnet,
        gateway: subnets[0]?.gateway,
        mac: typeof iface.mac_address === "string" ? iface.mac_address : undefined,
        subnets,
      });
    }
    out.push({ name, interfaces });
  }
  return out;
}
