// The one place that turns generated source text into a function (`new Function`). The image
// decoder and the wire → JSON writer compile code per message type; a page whose
// Content-Security-Policy has no 'unsafe-eval' forbids that, and every refused attempt raises a
// `securitypolicyviolation` event (and a report, when the policy asks for reports). So the
// question is asked once, with a tiny probe, and the answer kept: when code cannot be compiled,
// compileFunction returns undefined at once and the callers stay on their interpreters.

/** A compiled function, as `new Function(...params, body)` makes it. */
export type CompiledFunction = (...args: unknown[]) => unknown;

/** undefined until probed; then whether `new Function` works in this realm. */
let allowed: boolean | undefined;

/** Whether generated code can run here (probed on the first call, then remembered). */
export function canCompile(): boolean {
  if (allowed === undefined) {
    try {
      allowed = new Function("return 1")() === 1;
    } catch {
      allowed = false;
    }
  }
  return allowed;
}

/**
 * `new Function(...params, body)`, or undefined where code generation is not allowed. Errors in
 * `body` itself (a bug in a code generator) still throw.
 */
export function compileFunction(params: readonly string[], body: string): CompiledFunction | undefined {
  if (!canCompile()) return undefined;
  return new Function(...params, body) as CompiledFunction;
}

/** Forgets the probe's answer (tests only: to probe again under a different `Function`). */
export function forgetCompileProbe(): void {
  allowed = undefined;
}

/**
 * `holder.compiled`, made by `compile` on first use and kept; null is kept where code cannot be
 * compiled (or the generator failed), so that the caller's interpreter runs without asking again.
 */
export function compiledOnce<T>(holder: { compiled?: T | null }, compile: () => T | undefined): T | undefined {
  if (holder.compiled === undefined) {
    try {
      holder.compiled = compile() ?? null;
    } catch {
      holder.compiled = null;
    }
  }
  return holder.compiled ?? undefined;
}
