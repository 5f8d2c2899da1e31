import { setCompileAfter } from "../../src/json/to-image/compile-encode";

// Imported first by the tests that compare the compiled encoder with the interpreter: every type's
// code is compiled at its first object, instead of after COMPILE_AFTER objects read by the
// interpreter (which small documents never reach, and the comparison would then be vacuous).
setCompileAfter(0);
