// Numbers as checkpointctl and go-criu print them.

/** checkpointctl's sizes: "264.7 KiB" (1024-based, one decimal), bytes below 1 KiB as "N B". */
export function byteSize(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = n;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${value.toFixed(1)} ${units[i]}`;
}

/** go-criu's socket buffer sizes: "3.8 MB", "16.0 KB" (1024-based, one decimal). */
export function bufferSize(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = n;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value.toFixed(1)} ${units[i]}`;
}

/** checkpointctl's durations from microseconds: "478 µs", "23.703 ms", "1.2 s" (five significant digits). */
export function duration(us: number): string {
  if (us < 1000) return `${us} µs`;
  const [value, unit] = us < 1_000_000 ? [us / 1000, "ms"] : [us / 1_000_000, "s"];
  return `${trimZeros(value.toPrecision(5))} ${unit}`;
}

function trimZeros(text: string): string {
  if (text.includes("e") || !text.includes(".")) return text;
  return text.replace(/0+$/, "").replace(/\.$/, "");
}
