import type { Rule } from "../rule";
import { enumRules } from "./enums";
import { fieldRules } from "./fields";
import { nameRules } from "./names";
import { optionRules } from "./options";
import { typeLifecycleRules } from "./lifecycle";
import { typeRules } from "./types";

/** Every rule, in the order findings about one element are listed. */
export const RULES: readonly Rule[] = [...typeLifecycleRules, ...fieldRules, ...typeRules, ...nameRules, ...enumRules, ...optionRules];
