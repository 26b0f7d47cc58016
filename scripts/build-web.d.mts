/** Types of scripts/build-web.mjs (plain JS, imported by build.mjs). */

/** Top-level folders of dist/ that hold page bundles (the node build leaves them alone). */
export const WEB_OUT_DIRS: readonly string[];
/** Builds the page of an HTML template into `outDir` (index.html + hashed bundles); resolves to the file names written. */
export function buildPage(templateFile: string, outDir: string): Promise<string[]>;
/** Builds one self-contained HTML (JS and CSS inlined) from an HTML template or a `.ts` entry; resolves to `outFile`. */
export function buildSingleHtml(entryFile: string, outFile: string): Promise<string>;
/** Builds every page of the tree under `root` whose template exists; resolves to the outputs built. */
export function buildWeb(root: string): Promise<string[]>;
