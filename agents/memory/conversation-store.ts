/**
 * Conversation history per user AND workspace, in
 * `<dataDir>/agents/<userId>/<workspaceId>/history.jsonl` (ids checked: they become folder names).
 * There is no default conversation: every call names its context.
 *
 * The file is append-only JSON lines (see storage/jsonl-file.ts for why a crash loses at most the
 * line being written): one line per whole turn, and one line per compaction summary, which says
 * through which turn it summarizes. `load` sends the newest summary, the turns after it and the
 * pinned facts; older turns stay in the file for the record but are never sent again.
 *
 * Compaction happens in `load`: when summary + pinned facts + turns pass `maxTokens` (by the
 * injected estimator), the oldest turns (all but the newest `keepTokens`, at least the newest
 * turn) are handed to the injected `summarize` together with the previous summary, and the new
 * summary is appended. Cuts fall between turns only, and a turn holds whole tool_use/tool_result
 * pairs, so no pair is ever split. If `summarize` fails, the turns are sent uncompacted this time
 * (with a warning) and the next `load` tries again.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { RequestContext } from '../../mcp-servers/common/context.ts';
import { appendJsonLine, readJsonLines } from '../storage/jsonl-file.ts';
import { workspaceDir } from '../storage/paths.ts';
import { createSerialQueue } from '../storage/serial.ts';
import { estimateTokensByChars, planCompaction, type TokenEstimator } from './compaction.ts';
import { type HistoryMessage, historyMessageSchema, toHistoryMessages } from './messages.ts';
import { addPinned, parseRememberRequest, pinnedFile, readPinned, removePinned } from './pinned.ts';

/** One whole exchange: the user's message, the assistant's answer and the tool calls between. */
export interface HistoryTurn {
  readonly id: string;
  /** When the turn was appended, ISO 8601 UTC. */
  readonly at: string;
  /** The soul that answered, when the runtime says. */
  readonly soul?: string | undefined;
  readonly messages: readonly HistoryMessage[];
}

/** What the runtime appends: Messages API messages, user first, assistant last. */
export interface TurnInput {
  /** Messages API messages (checked with zod; images become references, thinking is dropped). */
  readonly messages: readonly unknown[];
  readonly soul?: string;
}

/** What to send for a conversation. */
export interface Conversation {
  /** The turns after the summary, oldest first: pass as the request's history. */
  readonly messages: readonly HistoryMessage[];
  /** The summary of every older turn, if there was a compaction. */
  readonly summary: string | undefined;
  /** The facts the user asked to keep, oldest first. */
  readonly pinned: readonly string[];
  /**
   * Summary and pinned facts as one text for the request's per-request part (after the cache
   * breakpoint; see agents/model buildCachedPrompt `perRequest`); '' when there is neither.
   */
  readonly memory: string;
  /** Estimated tokens of `messages` + `memory`. */
  readonly estimatedTokens: number;
}

/** Folds older turns into one summary; `previousSummary` is the summary they follow, if any. */
export type Summarizer = (
  turns: readonly HistoryTurn[],
  previousSummary: string | undefined,
) => Promise<string>;

/** Options of {@link createConversationStore}. */
export interface ConversationStoreOptions {
  readonly dataDir: string;
  readonly summarize: Summarizer;
  /** Compact when summary + pinned facts + turns pass this many estimated tokens. */
  readonly maxTokens: number;
  /** Tokens of newest turns kept verbatim at a compaction. Default `maxTokens / 2`. */
  readonly keepTokens?: number;
  /** Default {@link estimateTokensByChars} (characters / 4). */
  readonly estimateTokens?: TokenEstimator;
  /** Default `() => new Date()`. */
  readonly clock?: () => Date;
  /** Told about skipped (torn) history lines and failed summaries. */
  readonly logger: Pick<Logger, 'warn'>;
}

/** History of every user's conversations in a data directory. */
export interface ConversationStore {
  /** The messages and memory to send; compacts first when past the threshold. */
  load(context: RequestContext): Promise<Conversation>;
  /** Appends one whole turn; throws TurnShapeError (nothing written) when it is not one. */
  append(context: RequestContext, turn: TurnInput): Promise<HistoryTurn>;
  /** Folds all but the newest `keepTokens` of turns into the summary now, whatever the size. */
  compact(context: RequestContext): Promise<Conversation>;
  /** `/new`: starts a fresh conversation; the old file is renamed (returned), not deleted. Pinned facts stay. */
  reset(context: RequestContext): Promise<string | undefined>;
  /** Pins the fact of a "remember that …" message; undefined when `userText` is not one. */
  remember(context: RequestContext, userText: string): Promise<string | undefined>;
  /** Pins `fact`; throws PinnedFactsFullError at the cap. */
  pin(context: RequestContext, fact: string): Promise<void>;
  /** Unpins the fact equal to `fact`; false when there was none. */
  unpin(context: RequestContext, fact: string): Promise<boolean>;
  /** The pinned facts. */
  pinned(context: RequestContext): Promise<string[]>;
}

const turnRecordSchema = z.object({
  kind: z.literal('turn'),
  id: z.string(),
  at: z.string(),
  soul: z.string().optional(),
  messages: z.array(historyMessageSchema),
});
const summaryRecordSchema = z.object({
  kind: z.literal('summary'),
  at: z.string(),
  text: z.string(),
  /** Id of the newest turn the summary covers. */
  through: z.string(),
});
const historyRecordSchema = z.discriminatedUnion('kind', [turnRecordSchema, summaryRecordSchema]);
type HistoryRecord = z.output<typeof historyRecordSchema>;

const HISTORY_FILE = 'history.jsonl';

/** Renders summary and pinned facts for the request. */
export function renderMemory(summary: string | undefined, pinned: readonly string[]): string {
  const parts: string[] = [];
  if (pinned.length > 0) {
    parts.push(`Facts the user asked you to keep:\n${pinned.map((f) => `- ${f}`).join('\n')}`);
  }
  if (summary !== undefined) parts.push(`Summary of the earlier conversation:\n${summary}`);
  return parts.length === 0 ? '' : `<memory>\n${parts.join('\n\n')}\n</memory>`;
}

/** Creates the store over `<dataDir>/agents`. */
export function createConversationStore(options: ConversationStoreOptions): ConversationStore {
  const estimate = options.estimateTokens ?? estimateTokensByChars;
  const clock = options.clock ?? (() => new Date());
  const keepTokens = options.keepTokens ?? Math.floor(options.maxTokens / 2);
  const queue = createSerialQueue();

  function dirOf(context: RequestContext): string {
    return workspaceDir(options.dataDir, context.userId, context.workspaceId);
  }

  function onSkipped(skipped: { file: string; line: number; reason: string }): void {
    options.logger.warn(skipped, 'history line skipped');
  }

  /** The newest summary and the turns after it. */
  async function readState(file: string): Promise<{ summary?: string; turns: HistoryTurn[] }> {
    const records: HistoryRecord[] = await readJsonLines(file, historyRecordSchema, onSkipped);
    let summary: string | undefined;
    let turns: HistoryTurn[] = [];
    for (const record of records) {
      if (record.kind === 'turn') {
        turns.push({ id: record.id, at: record.at, soul: record.soul, messages: record.messages });
      } else {
        summary = record.text;
        const through = turns.findIndex((t) => t.id === record.through);
        turns = turns.slice(through + 1);
      }
    }
    return summary === undefined ? { turns } : { summary, turns };
  }

  async function loadLocked(context: RequestContext, force: boolean): Promise<Conversation> {
    const dir = dirOf(context);
    const file = join(dir, HISTORY_FILE);
    let { summary, turns } = await readState(file);
    const pinned = (await readPinned(pinnedFile(dir))).map((f) => f.text);
    const sized = turns.map((turn) => ({ turn, tokens: estimate(JSON.stringify(turn.messages)) }));
    const fixedTokens = estimate(renderMemory(summary, pinned));
    const plan = planCompaction(sized, {
      fixedTokens,
      maxTokens: force ? 0 : options.maxTokens,
      keepTokens,
    });
    if (plan !== undefined) {
      try {
        const text = await options.summarize(plan.summarize, summary);
        await appendJsonLine(file, {
          kind: 'summary',
          at: clock().toISOString(),
          text,
          through: plan.summarize.at(-1)!.id,
        });
        summary = text;
        turns = [...plan.keep];
      } catch (error) {
        options.logger.warn(
          { err: error, file, turns: turns.length },
          'summarizing older turns failed; sending them uncompacted this time',
        );
      }
    }
    const messages = turns.flatMap((t) => t.messages);
    const memory = renderMemory(summary, pinned);
    return {
      messages,
      summary,
      pinned,
      memory,
      estimatedTokens: estimate(JSON.stringify(messages)) + estimate(memory),
    };
  }

  async function pin(context: RequestContext, fact: string): Promise<void> {
    const dir = dirOf(context);
    return queue.run(dir, async () => {
      await mkdir(dir, { recursive: true });
      await addPinned(pinnedFile(dir), fact, clock());
    });
  }

  return {
    async load(context) {
      const dir = dirOf(context);
      return queue.run(dir, () => loadLocked(context, false));
    },

    async compact(context) {
      const dir = dirOf(context);
      return queue.run(dir, () => loadLocked(context, true));
    },

    async append(context, input) {
      const dir = dirOf(context);
      const messages = toHistoryMessages(input.messages);
      const turn: HistoryTurn = {
        id: randomUUID(),
        at: clock().toISOString(),
        ...(input.soul === undefined ? {} : { soul: input.soul }),
        messages,
      };
      return queue.run(dir, async () => {
        await appendJsonLine(join(dir, HISTORY_FILE), { kind: 'turn', ...turn });
        return turn;
      });
    },

    async reset(context) {
      const dir = dirOf(context);
      return queue.run(dir, async () => {
        const file = join(dir, HISTORY_FILE);
        const stamp = clock()
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d+Z$/, 'Z');
        for (let n = 1; ; n += 1) {
          const archived = join(dir, n === 1 ? `history-${stamp}.jsonl` : `history-${stamp}-${n}.jsonl`);
          if (await exists(archived)) continue;
          try {
            await rename(file, archived);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
            throw error;
          }
          return archived;
        }
      });
    },

    async remember(context, userText) {
      const fact = parseRememberRequest(userText);
      if (fact === undefined) return undefined;
      await pin(context, fact);
      return fact;
    },

    pin,

    async unpin(context, fact) {
      const dir = dirOf(context);
      return queue.run(dir, () => removePinned(pinnedFile(dir), fact));
    },

    async pinned(context) {
      return (await readPinned(pinnedFile(dirOf(context)))).map((f) => f.text);
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
