import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatPath, listLeafKeys, toSchemaNode } from '../../core/config/schema-walk.ts';
import { CONFIG_DOC_FILES } from './docs.ts';
import { configSchema, defaultConfig, loadConfig, secretsSchema } from './index.ts';

const repoFile = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const leafPaths = (schema: typeof configSchema | typeof secretsSchema): string[] =>
  listLeafKeys(toSchemaNode(schema)).map((leaf) => formatPath(leaf.path));

describe('docs/config.md', () => {
  const doc = readFileSync(repoFile('docs/config.md'), 'utf8');

  it('documents every leaf key of config.yaml and secrets.yaml', () => {
    const paths = [...leafPaths(configSchema), ...leafPaths(secretsSchema)];
    expect(paths.length).toBeGreaterThan(40);
    const missing = paths.filter((p) => !doc.includes(`| \`${p}\` |`));
    expect(missing, 'run: node --import tsx scripts/gen-config-doc.ts').toEqual([]);
  });

  it('gives every key a meaning (.describe() on the field, or JSDoc in the component config.ts)', () => {
    const undocumented = doc.split('\n').filter((line) => line.includes('(undocumented)'));
    expect(undocumented).toEqual([]);
  });
});

/**
 * Keys, types, defaults and variables must match the schemas exactly; the wording of meanings
 * (taken from other components' JSDoc) may lag until the next regeneration, so a comment edit
 * elsewhere does not break this suite.
 */
function withoutMeanings(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#') || /^\s*#\s*[\w<-]+:/.test(line))
    .map((line) => (line.startsWith('| `') ? line.split(' | ').slice(0, 4).join(' | ') : line))
    .join('\n');
}

describe('generated config files', () => {
  it.each(CONFIG_DOC_FILES.map((f) => [f.path.replace(repoFile(''), ''), f] as const))(
    '%s matches the schemas (regenerate: node --import tsx scripts/gen-config-doc.ts)',
    (_name, file) => {
      expect(withoutMeanings(readFileSync(file.path, 'utf8'))).toBe(withoutMeanings(file.render()));
    },
  );
});

describe('deploy examples', () => {
  const configPath = repoFile('deploy/config.example.yaml');
  const secretsPath = repoFile('deploy/secrets.example.yaml');

  it('parse, and set every key to its default', () => {
    const { config, secrets } = loadConfig({ configPath, secretsPath, env: {} });
    expect(config).toEqual(defaultConfig());
    expect(secrets.mcp.tokens).toEqual({});
  });

  it('mention every key', () => {
    const text = `${readFileSync(configPath, 'utf8')}\n${readFileSync(secretsPath, 'utf8')}`;
    const keys = [...leafPaths(configSchema), ...leafPaths(secretsSchema)].map(
      (p) => p.split(/[.[\]]/).at(-1) ?? '',
    );
    expect(keys.filter((k) => k !== '' && !new RegExp(`\\b${k}:`).test(text))).toEqual([]);
  });
});
