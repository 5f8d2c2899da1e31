import { setFullAfter } from "../../src/json/to-image/compile-encode";

// Imported first by compile-encode-tiers.test.ts: the compiled encoder's full code takes over from
// its compact code after 4 objects of a type instead of FULL_AFTER, which small documents never reach.
setFullAfter(4);
