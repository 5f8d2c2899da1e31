import { version } from "../../package.json";

/** This package's version (package.json's, inlined by the build). */
export const PACKAGE_VERSION: string = version;

/** The CRIU release whose image schema (proto/) and crit behaviour this package follows. */
export const CRIU_VERSION = "4.2";
