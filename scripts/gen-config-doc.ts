/**
 * Generates docs/config.md, deploy/config.example.yaml and deploy/secrets.example.yaml from
 * the config and secrets schemas. Run after changing a schema:
 *   node --import tsx scripts/gen-config-doc.ts
 * app/config/docs.test.ts fails when a generated file differs from what this produces.
 */
import { writeFileSync } from 'node:fs';
import { CONFIG_DOC_FILES } from '../app/config/docs.ts';

for (const { path, render } of CONFIG_DOC_FILES) {
  writeFileSync(path, render());
  process.stdout.write(`wrote ${path}\n`);
}
