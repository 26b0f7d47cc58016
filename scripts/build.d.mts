/** Types of scripts/build.mjs (plain JS: bin/quantforge.mjs runs it before anything is compiled). */

/** Why dist/ under `root` cannot be run as is (`missing`, `stale: <file>`), or undefined when current. */
export function staleReason(root?: string): string | undefined;
/** Compiles the sources under `root` into `root`/dist; resolves to the number of files written. */
export function build(root?: string): Promise<number>;
/** Builds dist/ when it is missing or stale, saying so on stderr; false when a source does not compile. */
export function ensureBuilt(root?: string): Promise<boolean>;
