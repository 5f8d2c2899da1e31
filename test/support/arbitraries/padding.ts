import fc from "fast-check";

/**
 * The padding after `size` bytes up to a multiple of `align`, as a decoded entry holds it:
 * absent (zeros on the wire), or bytes that are not all zeros (kept so they are written back).
 */
export function paddingArbitrary(size: number, align: number): fc.Arbitrary<Uint8Array | undefined> {
  const pad = (align - (size % align)) % align;
  if (pad === 0) return fc.constant(undefined);
  const nonZero = fc.uint8Array({ minLength: pad, maxLength: pad }).filter((b) => b.some((x) => x !== 0));
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: nonZero, weight: 1 });
}

/** `{ ...base, padding }` when there is padding to keep, otherwise `base` alone. */
export function withPadding<T extends object>(base: T, padding: Uint8Array | undefined): T & { padding?: Uint8Array } {
  return padding ? { ...base, padding } : base;
}
