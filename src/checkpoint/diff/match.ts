// Pairs two lists by a key: what only A has, what only B has, and the pairs, each sorted by `order`.

export interface Matched<T> {
  onlyA: T[];
  onlyB: T[];
  both: { a: T; b: T }[];
}

export function matchBy<T>(a: readonly T[], b: readonly T[], key: (item: T) => string, order: (x: T, y: T) => number): Matched<T> {
  const inB = new Map(b.map((item) => [key(item), item]));
  const inA = new Map(a.map((item) => [key(item), item]));
  const both: { a: T; b: T }[] = [];
  const onlyA: T[] = [];
  for (const item of inA.values()) {
    const other = inB.get(key(item));
    if (other === undefined) onlyA.push(item);
    else both.push({ a: item, b: other });
  }
  const onlyB = [...inB.values()].filter((item) => !inA.has(key(item)));
  onlyA.sort(order);
  onlyB.sort(order);
  both.sort((x, y) => order(x.a, y.a));
  return { onlyA, onlyB, both };
}

/** The names of the fields whose values differ (compared as JSON). */
export function differingFields<T extends object>(a: T, b: T, fields: readonly (keyof T & string)[]): string[] {
  return fields.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
}

/** Ascending by pid, then by fd (numbers before "cwd" and "root"). */
export function byPidFd(x: { pid: number; fd: number | string }, y: { pid: number; fd: number | string }): number {
  return x.pid - y.pid || fdRank(x.fd) - fdRank(y.fd);
}

function fdRank(fd: number | string): number {
  return typeof fd === "number" ? fd : fd === "cwd" ? Number.MAX_SAFE_INTEGER - 1 : Number.MAX_SAFE_INTEGER;
}
