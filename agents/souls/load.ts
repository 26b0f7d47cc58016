/**
 * Loads every soul of a folder and checks each name it uses against what exists: tools, model
 * keys, subagents (and that delegation has no cycle), knowledge namespaces, licence tiers. All
 * problems of all files are gathered into one `SoulError`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { SoulError, type SoulProblem } from './errors.ts';
import { parseSoulFile } from './parse.ts';
import type { FrontMatter } from './schema.ts';
import { expandToolPatterns, isToolPattern, serverOf, toolMatcher } from './tool-patterns.ts';
import type { KnownNames, Soul } from './types.ts';

/** Files of the souls folder that are documentation, not souls. */
const NOT_SOULS = new Set(['readme.md']);

/**
 * Reads `dir/*.md` (not `README.md`, not subfolders) and returns the souls by name.
 * Throws `SoulError` listing every problem as `<file>: <key>: <what is wrong>; valid: <…>`.
 *
 * @example
 * const souls = loadSouls('souls', { tools, models: ['default', 'fast'], namespaces, tiers });
 * souls.get('coordinator')?.persona;
 */
export function loadSouls(dir: string, known: KnownNames): Map<string, Soul> {
  let entries: string[];
  try {
    entries = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.md') && !NOT_SOULS.has(e.name.toLowerCase()))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    throw new SoulError([
      { file: dir, key: 'souls folder', message: `cannot read it (${(error as Error).message})` },
    ]);
  }
  if (entries.length === 0) {
    throw new SoulError([
      { file: dir, key: 'souls folder', message: 'holds no soul file', valid: ['<name>.md files'] },
    ]);
  }

  const problems: SoulProblem[] = [];
  const parsed: { label: string; path: string; fm: FrontMatter; persona: string }[] = [];
  for (const entry of entries) {
    const label = join(dir, entry);
    const path = resolve(dir, entry);
    const result = parseSoulFile(label, readFileSync(path, 'utf8'));
    if (result.ok) parsed.push({ label, path, fm: result.frontMatter, persona: result.persona });
    else problems.push(...result.problems);
  }

  const soulNames = entries.map((e) => basename(e, '.md'));
  for (const { label, fm } of parsed) problems.push(...checkNames(label, fm, soulNames, known));
  problems.push(
    ...findCycles(parsed.map(({ label, fm }) => ({ label, name: fm.name, subagents: fm.subagents }))),
  );
  if (problems.length > 0) throw new SoulError(problems);

  return new Map(
    parsed.map(({ path, fm, persona }) => [
      fm.name,
      {
        name: fm.name,
        description: fm.description,
        file: path,
        model: fm.model,
        fallbackModels: fm.fallbackModels,
        tools: fm.tools,
        subagents: fm.subagents,
        ...(fm.rag === undefined ? {} : { rag: fm.rag }),
        limits: fm.limits,
        tiers: fm.tiers ?? [...known.tiers],
        ...(fm.thinking === undefined ? {} : { thinking: fm.thinking }),
        persona,
      },
    ]),
  );
}

/** The tool names `soul` may call among `allToolNames`, in their order. */
export function allowedTools(soul: Pick<Soul, 'tools'>, allToolNames: readonly string[]): string[] {
  return expandToolPatterns(soul.tools, allToolNames);
}

function checkNames(
  file: string,
  fm: FrontMatter,
  souls: readonly string[],
  known: KnownNames,
): SoulProblem[] {
  const problems: SoulProblem[] = [];
  const own = basename(file, '.md');
  if (fm.name !== own) {
    problems.push({ file, key: 'name', message: `"${fm.name}" differs from the file name`, valid: [own] });
  }
  fm.tools.forEach((pattern, i) => {
    const problem = checkToolPattern(pattern, known.tools);
    if (problem !== undefined) problems.push({ file, key: `tools[${i}]`, ...problem });
  });
  const modelKeys: [string, string][] = [
    ['model', fm.model],
    ...fm.fallbackModels.map((m, i): [string, string] => [`fallbackModels[${i}]`, m]),
  ];
  for (const [key, value] of modelKeys) {
    if (!known.models.includes(value)) {
      problems.push({ file, key, message: `unknown model key "${value}"`, valid: known.models });
    }
  }
  fm.subagents.forEach((sub, i) => {
    if (!souls.includes(sub)) {
      problems.push({
        file,
        key: `subagents[${i}]`,
        message: `no soul "${sub}"`,
        valid: souls.filter((s) => s !== own),
      });
    }
  });
  if (fm.rag !== undefined && !known.namespaces.includes(fm.rag)) {
    problems.push({
      file,
      key: 'rag',
      message: `no knowledge namespace "${fm.rag}"`,
      valid: known.namespaces,
    });
  }
  (fm.tiers ?? []).forEach((tier, i) => {
    if (!known.tiers.includes(tier)) {
      problems.push({
        file,
        key: `tiers[${i}]`,
        message: `unknown licence tier "${tier}"`,
        valid: known.tiers,
      });
    }
  });
  return problems;
}

/** What is wrong with one tool pattern, or undefined when it matches at least one tool. */
function checkToolPattern(
  pattern: string,
  tools: readonly string[],
): Pick<SoulProblem, 'message' | 'valid'> | undefined {
  const servers = [...new Set(tools.map(serverOf).filter((s) => s !== undefined))];
  const serverPatterns = servers.map((s) => `mcp__${s}__*`);
  if (pattern.startsWith('delegate_to_')) {
    return {
      message: `"${pattern}" is not a tool to list: delegation is declared under subagents`,
      valid: serverPatterns,
    };
  }
  if (!isToolPattern(pattern)) {
    return { message: `"${pattern}" is not an MCP tool name (mcp__<server>__<tool>)`, valid: serverPatterns };
  }
  const matches = toolMatcher(pattern);
  if (tools.some(matches)) return undefined;
  // Point at the tools of the server it named, when that server exists.
  const server = serverOf(pattern);
  const sameServer = server === undefined ? [] : tools.filter((t) => serverOf(t) === server);
  return {
    message: `"${pattern}" matches no tool`,
    valid: sameServer.length > 0 ? sameServer : serverPatterns,
  };
}

/** Each delegation cycle once, reported on the file of its first soul (by name). */
function findCycles(
  souls: readonly { label: string; name: string; subagents: readonly string[] }[],
): SoulProblem[] {
  const byName = new Map(souls.map((s) => [s.name, s]));
  const problems: SoulProblem[] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    const at = path.indexOf(name);
    if (at >= 0) {
      const cycle = path.slice(at);
      const key = [...cycle].sort().join(' ');
      if (!seen.has(key)) {
        seen.add(key);
        const first = [...cycle].sort()[0] ?? name;
        const start = cycle.indexOf(first);
        const ordered = [...cycle.slice(start), ...cycle.slice(0, start), first];
        problems.push({
          file: byName.get(first)?.label ?? first,
          key: 'subagents',
          message: `delegation cycle ${ordered.join(' → ')}`,
          valid: ['souls that do not delegate back up the chain'],
        });
      }
      return;
    }
    if (done.has(name)) return;
    const soul = byName.get(name);
    if (soul === undefined) return;
    for (const sub of soul.subagents) visit(sub, [...path, name]);
    done.add(name);
  };
  for (const soul of [...souls].sort((a, b) => a.name.localeCompare(b.name))) visit(soul.name, []);
  return problems;
}
