import type { Rule } from "../rule";
import { enumRules } from "./enums";
import { extensionRules } from "./extensions";
import { fieldRules } from "./fields";
import { nameRules } from "./names";
import { optionRules } from "./options";
import { typeLifecycleRules } from "./lifecycle";
import { typeRules } from "./types";
import { mapRules } from "./maps";
import { oneofRules } from "./oneofs";
import { serviceRules } from "./services";

/** Every rule, in the order findings about one element are listed. */
export const RULES: readonly Rule[] = [
  ...typeLifecycleRules,
  ...fieldRules,
  ...typeRules,
  ...mapRules,
  ...oneofRules,
  ...nameRules,
  ...enumRules,
  ...optionRules,
  ...extensionRules,
  ...serviceRules,
];
