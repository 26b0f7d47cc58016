/**
 * The `notes` model tool: the agent reads and edits the user's notes (notes.ts). The runtime
 * exposes it beside the MCP tools: `{ name, description, input_schema }` goes into the request's
 * tools, and a tool_use named `notes` is answered with `handle(context, input)`. The user is the
 * request context's, never a tool argument. A refused edit (not found, full) comes back as an
 * error result whose text says what to do, so the model can fix it; the handler does not throw.
 */
import { z } from 'zod';
import type { RequestContext } from '../../mcp-servers/common/context.ts';
import { MemoryError } from './errors.ts';
import type { Notes, NotesState } from './notes.ts';

/** The tool's name as the model sees it. */
export const NOTES_TOOL_NAME = 'notes';

/** The tool's input. One flat object (the Messages API wants an object schema at the top). */
export const notesToolInputSchema = z
  .object({
    action: z
      .enum(['read', 'append', 'replace', 'delete'])
      .describe(
        'read: show the notes; append: add `text` as a new entry; replace: change `old` to `new`; delete: remove `text`',
      ),
    text: z.string().optional().describe('append: the entry to add; delete: the exact text to remove'),
    old: z.string().optional().describe('replace: the exact text to change (must occur once)'),
    new: z.string().optional().describe('replace: the text to put in its place'),
  })
  .superRefine((input, ctx) => {
    const need = (field: 'text' | 'old' | 'new') => {
      if (input[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${input.action} needs \`${field}\`` });
      }
    };
    if (input.action === 'append' || input.action === 'delete') need('text');
    if (input.action === 'replace') {
      need('old');
      need('new');
    }
  });
export type NotesToolInput = z.output<typeof notesToolInputSchema>;

/** A tool result in Messages API terms (the same shape as the MCP tool host's outcomes). */
export interface NotesToolResult {
  readonly content: { type: 'text'; text: string }[];
  readonly isError: boolean;
}

/** The tool as a plain object for the runtime. */
export interface NotesTool {
  readonly name: typeof NOTES_TOOL_NAME;
  readonly description: string;
  readonly inputSchema: typeof notesToolInputSchema;
  /** JSON Schema of the input, for the request's `tools[].input_schema`. */
  readonly input_schema: Record<string, unknown>;
  handle(context: RequestContext, input: unknown): Promise<NotesToolResult>;
}

const DESCRIPTION =
  "The user's private notes, kept across conversations and workspaces: preferences, positions they " +
  'mentioned, how they like answers. Read them when they could matter; append a short entry when the ' +
  'user tells you something lasting; replace or delete entries that are outdated. The notes have a ' +
  'size cap: when full, the tool says how much to remove.';

function describe(state: NotesState): string {
  const head = `notes: ${state.sizeBytes} of ${state.capBytes} bytes used`;
  return state.text === '' ? `${head}; (empty)` : `${head}\n${state.text}`;
}

const result = (text: string, isError = false): NotesToolResult => ({
  content: [{ type: 'text', text }],
  isError,
});

/** Builds the `notes` tool over `notes`. */
export function createNotesTool(notes: Notes): NotesTool {
  return {
    name: NOTES_TOOL_NAME,
    description: DESCRIPTION,
    inputSchema: notesToolInputSchema,
    input_schema: z.toJSONSchema(notesToolInputSchema, { io: 'input' }) as Record<string, unknown>,
    async handle(context, raw) {
      const parsed = notesToolInputSchema.safeParse(raw);
      if (!parsed.success) {
        return result(
          `invalid notes input: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
          true,
        );
      }
      const input = parsed.data;
      try {
        switch (input.action) {
          case 'read':
            return result(describe(await notes.read(context.userId)));
          case 'append':
            return result(describe(await notes.append(context.userId, input.text!)));
          case 'replace':
            return result(describe(await notes.replace(context.userId, input.old!, input.new!)));
          case 'delete':
            return result(describe(await notes.delete(context.userId, input.text!)));
        }
      } catch (error) {
        if (error instanceof MemoryError) return result(error.message, true);
        throw error;
      }
    },
  };
}
