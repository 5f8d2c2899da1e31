// Addresses and routes of a network namespace, from its ifaddr-N.img, route-N.img and
// route6-N.img (iproute2 dumps of RTM_NEWADDR and RTM_NEWROUTE messages).

import { ipText, netlinkAttributes, netlinkMessages } from "./netlink-dump";
import type { NetAddress, NetRoute } from "./types";

const RTM_NEWADDR = 20;
const RTM_NEWROUTE = 24;
const FAMILIES: Record<number, string> = { 2: "inet", 10: "inet6" };
const SCOPES: Record<number, string> = { 0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere" };
const IFA_FLAGS: [number, string][] = [
  [0x01, "secondary"], [0x02, "nodad"], [0x04, "optimistic"], [0x08, "dadfailed"], [0x10, "homeaddress"],
  [0x20, "deprecated"], [0x40, "tentative"], [0x80, "permanent"], [0x100, "managetempaddr"],
  [0x200, "noprefixroute"], [0x400, "mcautojoin"], [0x800, "stable-privacy"],
];
const TABLES: Record<number, string> = { 253: "default", 254: "main", 255: "local" };
const PROTOCOLS: Record<number, string> = { 0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 16: "dhcp", 186: "bgp", 188: "ospf" };
const ROUTE_TYPES: Record<number, string> = {
  1: "unicast", 2: "local", 3: "broadcast", 4: "anycast", 5: "multicast", 6: "blackhole", 7: "unreachable", 8: "prohibit", 9: "throw", 10: "nat",
};

const u32 = (v: Uint8Array) => (v.length >= 4 ? new DataView(v.buffer, v.byteOffset, 4).getUint32(0, true) : undefined);
const text = (v: Uint8Array) => new TextDecoder().decode(v).replace(/\0.*$/s, "");

function flagNames(flags: number): string[] {
  const out = IFA_FLAGS.filter(([bit]) => flags & bit).map(([, name]) => name);
  const rest = IFA_FLAGS.reduce((r, [bit]) => r & ~bit, flags);
  if (rest) out.push("0x" + (rest >>> 0).toString(16));
  return out;
}

/** The addresses of an `ip addr save` image, in file order; devices named through `devices`. */
export function netAddresses(bytes: Uint8Array, file: string, deviceName: (ifindex: number) => string | undefined): NetAddress[] {
  const out: NetAddress[] = [];
  for (const m of netlinkMessages(bytes, file)) {
    if (m.type !== RTM_NEWADDR || m.body.length < 8) continue;
    const b = m.body;
    const ifindex = new DataView(b.buffer, b.byteOffset + 4, 4).getUint32(0, true);
    let address: string | undefined;
    let local: string | undefined;
    let label: string | undefined;
    let broadcast: string | undefined;
    let flags = b[2]!;
    for (const a of netlinkAttributes(b, 8)) {
      if (a.type === 1) address = ipText(a.value);
      else if (a.type === 2) local = ipText(a.value);
      else if (a.type === 3) label = text(a.value);
      else if (a.type === 4) broadcast = ipText(a.value);
      else if (a.type === 8) flags = u32(a.value) ?? flags;
    }
    out.push({
      ifindex,
      device: deviceName(ifindex),
      family: FAMILIES[b[0]!] ?? String(b[0]),
      address: local ?? address ?? "",
      peer: local !== undefined && address !== undefined && address !== local ? address : undefined,
      prefixLength: b[1]!,
      scope: SCOPES[b[3]!] ?? String(b[3]),
      flags: flagNames(flags),
      label,
      broadcast,
    });
  }
  return out;
}

/** The routes of an `ip route save` image (IPv4 or IPv6), in file order. */
export function netRoutes(bytes: Uint8Array, file: string, deviceName: (ifindex: number) => string | undefined): NetRoute[] {
  const out: NetRoute[] = [];
  for (const m of netlinkMessages(bytes, file)) {
    if (m.type !== RTM_NEWROUTE || m.body.length < 12) continue;
    const b = m.body;
    const family = FAMILIES[b[0]!] ?? String(b[0]);
    const route: NetRoute = {
      family,
      destination: b[1] === 0 ? "default" : "",
      prefixLength: b[1]!,
      gateway: undefined,
      device: undefined,
      ifindex: undefined,
      source: undefined,
      table: TABLES[b[4]!] ?? String(b[4]),
      protocol: PROTOCOLS[b[5]!] ?? String(b[5]),
      scope: SCOPES[b[6]!] ?? String(b[6]),
      type: ROUTE_TYPES[b[7]!] ?? String(b[7]),
      metric: undefined,
    };
    for (const a of netlinkAttributes(b, 12)) {
      if (a.type === 1) route.destination = `${ipText(a.value)}/${b[1]}`;
      else if (a.type === 4) {
        route.ifindex = u32(a.value);
        route.device = route.ifindex === undefined ? undefined : deviceName(route.ifindex);
      } else if (a.type === 5) route.gateway = ipText(a.value);
      else if (a.type === 6) route.metric = u32(a.value);
      else if (a.type === 7) route.source = ipText(a.value);
      else if (a.type === 15) {
        const t = u32(a.value);
        if (t !== undefined) route.table = TABLES[t] ?? String(t);
      }
    }
    out.push(route);
  }
  return out;
}
