/**
 * @criu/images: typed codecs for CRIU checkpoint images.
 *
 * - Every message of CRIU v4.2's image and RPC schema, with its generated schema
 *   (`core_entrySchema`, `criu_reqSchema`, ...) and type (`core_entry`, `criu_req`, ...).
 * - The image codec: `decodeImage` / `encodeImage`, driven by one magic table.
 */
export * from "./schema/index";
export * from "./image/index";
