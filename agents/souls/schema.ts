/**
 * The front matter of a soul file: Claude Code's `.claude/agents/*.md` keys (`name`,
 * `description`, `tools`, `model`) and ours (`fallbackModels`, `subagents`, `rag`, `limits`,
 * `tiers`, `thinking`). Shape only; names are checked against what exists in `load.ts`.
 */
import { z } from 'zod';

/** A soul's name: it is also the file name and the `delegate_to_<name>` tool name. */
export const SOUL_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** Per-turn limits when the front matter gives none. */
export const DEFAULT_LIMITS = { toolRounds: 8, outputTokens: 4096, wallTimeMs: 120_000 } as const;

/** The model key a soul uses when it names none (config `agents.models.default`). */
export const DEFAULT_MODEL_KEY = 'default';

const name = z.string().regex(SOUL_NAME);
const key = z.string().min(1).max(64);

/** `Read, Grep` (Claude Code's form) or a YAML list; each entry trimmed, none empty. */
const toolList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (typeof v === 'string' ? v.split(',') : v).map((t) => t.trim()))
  .pipe(z.array(z.string().min(1)));

const limitsSchema = z.strictObject({
  toolRounds: z.int().min(1).max(50).default(DEFAULT_LIMITS.toolRounds),
  outputTokens: z.int().min(256).max(128_000).default(DEFAULT_LIMITS.outputTokens),
  wallTimeMs: z.int().min(1_000).max(600_000).default(DEFAULT_LIMITS.wallTimeMs),
});

/** The front matter as written (before names are checked). */
export const frontMatterSchema = z
  .strictObject({
    name,
    description: z.string().trim().min(1).max(1024),
    tools: toolList,
    model: key.default(DEFAULT_MODEL_KEY),
    fallbackModels: z.array(key).default([]),
    subagents: z.array(z.string().min(1)).default([]),
    rag: z.string().min(1).optional(),
    limits: limitsSchema.prefault({}),
    tiers: z.array(z.string().min(1)).min(1).optional(),
    thinking: z.strictObject({ budgetTokens: z.int().min(1024) }).optional(),
  })
  .superRefine((fm, ctx) => {
    // The Messages API requires thinking.budget_tokens < max_tokens.
    if (fm.thinking !== undefined && fm.thinking.budgetTokens >= fm.limits.outputTokens) {
      ctx.addIssue({
        code: 'custom',
        path: ['thinking', 'budgetTokens'],
        message: `${fm.thinking.budgetTokens} is not below limits.outputTokens (${fm.limits.outputTokens})`,
      });
    }
  });

export type FrontMatter = z.output<typeof frontMatterSchema>;

/** Every front-matter key, in the order the docs list them. */
export const FRONT_MATTER_KEYS = Object.keys(frontMatterSchema.shape);

/** What each key accepts, shown as the "valid" part of a shape error. */
export const KEY_HINTS: Readonly<Record<string, string>> = {
  name: 'lowercase letters, digits and "-", starting with a letter, the same as the file name',
  description: 'one line saying when to use this soul (1 to 1024 characters)',
  tools: 'a list or comma-separated string of mcp__<server>__<tool> names, * allowed; [] for none',
  model: 'a model key of config agents.models',
  fallbackModels: 'a list of model keys of config agents.models',
  subagents: 'a list of soul names',
  rag: 'a knowledge namespace (a folder of souls/knowledge)',
  limits: `toolRounds, outputTokens, wallTimeMs (default ${DEFAULT_LIMITS.toolRounds}, ${DEFAULT_LIMITS.outputTokens}, ${DEFAULT_LIMITS.wallTimeMs})`,
  'limits.toolRounds': 'an integer from 1 to 50',
  'limits.outputTokens': 'an integer from 256 to 128000',
  'limits.wallTimeMs': 'an integer from 1000 to 600000 (milliseconds)',
  tiers: 'a non-empty list of licence tiers of config licences.tiers (omit for every tier)',
  thinking: 'budgetTokens',
  'thinking.budgetTokens': 'an integer from 1024, below limits.outputTokens',
};
