/**
 * @criu/images: typed codecs for CRIU checkpoint images.
 *
 * Every message of CRIU v4.2's image and RPC schema is exported with its generated schema
 * (`core_entrySchema`, `criu_reqSchema`, ...) and type (`core_entry`, `criu_req`, ...).
 */
export * from "./schema/index";
