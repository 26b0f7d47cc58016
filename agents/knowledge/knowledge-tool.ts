/**
 * `knowledge_search`: a soul's knowledge as a model tool. The handler is bound to the soul's
 * namespace when the tool is built; the model gives only a query and a hit count, so it cannot
 * read another soul's (or another tenant's) knowledge.
 */
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import { errorOutcome } from '../tools/to-outcome.ts';
import type { LocalTool, ToolOutcome } from '../tools/types.ts';
import { type KnowledgeBase, KnowledgeError, type KnowledgeHit } from './knowledge-base.ts';

/** The tool's name as the model sees it. */
export const KNOWLEDGE_SEARCH_TOOL = 'knowledge_search';
/** Characters of section text shown per hit; longer sections are cut with `…`. */
export const HIT_TEXT_CHARS = 1500;
const MAX_TOOL_HITS = 10;

export const knowledgeSearchInput = z.strictObject({
  query: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .describe('What to look up, in plain words, e.g. "RSI divergence" or "how funding rates are charged".'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_TOOL_HITS)
    .optional()
    .describe(`Sections to return, best first (1..${MAX_TOOL_HITS}; default 3).`),
});

function formatHit(hit: KnowledgeHit, rank: number): string {
  const text = hit.text.length > HIT_TEXT_CHARS ? `${hit.text.slice(0, HIT_TEXT_CHARS)}…` : hit.text;
  return `[${rank}] ${hit.file} § ${hit.heading} (score ${hit.score.toFixed(2)})\n${text}`;
}

/**
 * `knowledge_search` over `namespace` of `knowledge`. Throws {@link KnowledgeError} now when the
 * namespace does not exist, so a soul with a wrong `rag` fails at start, not mid-conversation.
 */
export function createKnowledgeSearchTool(knowledge: KnowledgeBase, namespace: string): LocalTool {
  const valid = knowledge.namespaces();
  if (!valid.includes(namespace))
    throw new KnowledgeError(
      `unknown knowledge namespace "${namespace}"; valid: ${valid.length === 0 ? 'none' : valid.join(', ')}`,
    );
  const inputSchema = z.toJSONSchema(knowledgeSearchInput, { target: 'draft-2020-12' });
  delete inputSchema.$schema;
  return {
    definition: {
      name: KNOWLEDGE_SEARCH_TOOL,
      description: `Search the ${namespace} knowledge notes (methods, definitions, house conventions) and get the best matching sections with their file and heading. Use it before explaining a method or a convention; it holds no market data.`,
      input_schema: inputSchema as Tool.InputSchema,
    },
    async run(input: unknown): Promise<ToolOutcome> {
      const parsed = knowledgeSearchInput.safeParse(input);
      if (!parsed.success)
        return errorOutcome(
          `${KNOWLEDGE_SEARCH_TOOL}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`,
        );
      const { query, limit = 3 } = parsed.data;
      try {
        const hits = await knowledge.search(namespace, query, limit);
        const text =
          hits.length === 0
            ? `No section of the ${namespace} knowledge matches "${query}".`
            : hits.map((h, i) => formatHit(h, i + 1)).join('\n\n');
        return { content: [{ type: 'text', text }], isError: false };
      } catch (error) {
        return errorOutcome(
          `${KNOWLEDGE_SEARCH_TOOL} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
  };
}
