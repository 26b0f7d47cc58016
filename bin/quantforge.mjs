#!/usr/bin/env node
// The `quantforge` command. TypeScript sources run through tsx's loader (esbuild, no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/index.ts');
process.exitCode = await main(process.argv);
