// Names of socket numbers as the kernel defines them (linux/net.h, netinet/tcp.h, in.h), and
// addresses as people write them.

import { ipString } from "../../json/from-image/pretty";

const TCP_STATES = ["", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"];
const SOCK_TYPES: Record<number, string> = { 1: "STREAM", 2: "DGRAM", 3: "RAW", 4: "RDM", 5: "SEQPACKET", 6: "DCCP", 10: "PACKET" };
const IP_PROTOCOLS: Record<number, string> = { 0: "IP", 1: "ICMP", 6: "TCP", 17: "UDP", 58: "ICMPV6", 132: "SCTP", 136: "UDPLITE", 255: "RAW" };
export const AF_INET = 2;
export const AF_INET6 = 10;

/** Socket states use the TCP state numbers for every socket kind. */
export function stateName(state: number): string {
  return TCP_STATES[state] || String(state);
}

export function sockTypeName(type: number): string {
  return SOCK_TYPES[type] ?? String(type);
}

export function ipProtocolName(proto: number): string {
  return IP_PROTOCOLS[proto] ?? String(proto);
}

export function familyName(family: number): string {
  return family === AF_INET ? "IPv4" : family === AF_INET6 ? "IPv6" : String(family);
}

/** An address stored as CRIU does: 32-bit words holding the bytes in network order; crit's text for it. */
export function inetAddress(family: number, words: readonly number[]): string {
  if (family === AF_INET) return ipString([words[0] ?? 0]);
  return ipString([0, 1, 2, 3].map((i) => words[i] ?? 0));
}

/** A UNIX socket name for people: the path without its trailing NUL, "@name" when abstract, "" unnamed. */
export function unixAddress(name: Uint8Array): { address: string; abstract: boolean } {
  if (name.length === 0) return { address: "", abstract: false };
  if (name[0] === 0) return { address: `@${new TextDecoder().decode(name.subarray(1))}`, abstract: true };
  const end = name.indexOf(0);
  return { address: new TextDecoder().decode(end < 0 ? name : name.subarray(0, end)), abstract: false };
}
