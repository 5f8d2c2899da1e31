// IP addresses as text, the way crit (Python's ipaddress) and iproute2 print them.

/** RFC 5952 text, as Python's ipaddress prints it: the longest run (≥2) of zero groups is "::". */
export function ipv6Text(groups: number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

/** An IPv4 (4 bytes) or IPv6 (16 bytes, network order) address; other lengths as hex. */
export function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join(".");
  if (bytes.length !== 16) return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return ipv6Text(Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!));
}
