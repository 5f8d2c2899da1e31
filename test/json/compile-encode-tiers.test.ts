// compile-encode.test.ts again with the compiled encoder's second tier in play: each type read by
// its compact code for 4 objects, then by its full code (test/support/full-tier-early.ts), so the
// full code, the hand-over and the call sites it rewrites all meet the interpreter's answers.
import "../support/full-tier-early";
import "./compile-encode.test";
