#!/usr/bin/env node
// The `quantforge` command. Runs the TypeScript compiled into dist/ by scripts/build.mjs (on
// `npm ci`, `npm run build`), first recompiling it when a source file is newer, so an edited
// checkout never runs stale code.
import { ensureBuilt } from '../scripts/build.mjs';

if (await ensureBuilt()) {
  process.setSourceMapsEnabled(true); // stack traces name the .ts lines
  const { main } = await import('../dist/cli/index.js');
  process.exitCode = await main(process.argv);
} else {
  process.exitCode = 1;
}
