/**
 * Soul files: who each agent is. `souls/<name>.md` holds YAML front matter (a superset of
 * Claude Code's `.claude/agents/*.md`: `name`, `description`, `tools`, `model`, plus
 * `fallbackModels`, `subagents`, `rag`, `limits`, `tiers`, `thinking`) and a Markdown persona.
 * `loadSouls` checks every name a soul uses against what exists and fails once, listing all.
 */
export { formatSoulProblem, SoulError, type SoulProblem } from './errors.ts';
export { allowedTools, loadSouls } from './load.ts';
export { DEFAULT_LIMITS, DEFAULT_MODEL_KEY, FRONT_MATTER_KEYS } from './schema.ts';
export { expandToolPatterns, isToolPattern, toolMatcher, toolNameOf } from './tool-patterns.ts';
export type { KnownNames, Soul, SoulLimits } from './types.ts';
