export * from "./all";
export { criuOptions } from "./options";
export { criuRegistry, findMessageSchema } from "./registry";
