/**
 * The agent runtime: one `chat` call is one turn of a soul for one request context. It checks
 * the licence tier and the daily budget before any model call, loads that user's conversation
 * for that workspace (summary and kept facts included), gives the soul exactly its tools — its
 * MCP allow-list, bound to the context by the transport, plus notes, its own knowledge
 * namespace and `delegate_to_<soul>` for its subagents — runs the tool loop, records every
 * model call in the usage ledger and appends the turn to the history.
 *
 * Nothing here is shared between users: every store is keyed by the context, and the tools of a
 * turn are built for that context alone.
 */
import type { ImageBlockParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import { QuantForgeError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { RequestContext } from '../../mcp-servers/common/context.ts';
import type { BusRecord } from '../../pipeline/bus/types.ts';
import type { KnowledgeBase } from '../knowledge/index.ts';
import { createKnowledgeSearchTool } from '../knowledge/index.ts';
import {
  type ConversationStore,
  createNotesTool,
  type Notes,
  renderMemory,
  toChatLogRecords,
} from '../memory/index.ts';
import { type ModelClient, type ModelToolDefinition, TurnCancelledError } from '../model/index.ts';
import { allowedTools, type Soul } from '../souls/index.ts';
import {
  createMcpToolHost,
  type LocalTool,
  type McpServerConnector,
  type ToolCatalog,
  type ToolOutcome,
} from '../tools/index.ts';
import { checkBudget, type TierBudgets, toUsageRecord, type UsageLedger } from '../usage/index.ts';
import { type ModelCallRecord, runTurn, type TurnEvent, type TurnResult, type TurnTools } from './turn.ts';

/** What a parent gives a subagent. */
const delegateInput = z.object({ task: z.string().trim().min(1) });

/** Deepest chain of delegations (coordinator → chartist is depth 1). */
export const MAX_DELEGATION_DEPTH = 2;

/** What the runtime is built over; the application wires the real ones. */
export interface AgentRuntimeDeps {
  readonly model: ModelClient;
  readonly souls: ReadonlyMap<string, Soul>;
  /** Model key (souls name keys) → model id. */
  readonly models: Readonly<Record<string, string>>;
  /** One connector per MCP server agents may use, and the process's tool lists. */
  readonly mcp: { readonly connectors: readonly McpServerConnector[]; readonly catalog: ToolCatalog };
  /** Every `mcp__<server>__<tool>` name that exists (for expanding a soul's patterns). */
  readonly toolNames: readonly string[];
  readonly memory: ConversationStore;
  readonly notes: Notes;
  readonly ledger: UsageLedger;
  readonly budgets: TierBudgets;
  readonly knowledge?: KnowledgeBase;
  /** The workspace as the agent should know it (chart, indicators, drawings; references, not data). */
  workspaceBrief(context: RequestContext): Promise<string>;
  /**
   * Where chat turns (`log.chat`) and usage (`log.usage`) go, keyed by user id; absent in a
   * process without a bus (`quantforge chat`). A failure to publish is logged, never fails a turn
   * (the history and the ledger on disk already hold it).
   */
  readonly publish?: (records: BusRecord[]) => Promise<void>;
  /** The chat-log topic of a licence tier (its retention); default `log.chat` for every tier. */
  readonly chatLogTopic?: (licence: string) => string;
  readonly logger?: Pick<Logger, 'warn'>;
  readonly now?: () => Date;
}

/** One message to a soul. */
export interface ChatInput {
  readonly context: RequestContext;
  /** Default `coordinator`. */
  readonly soul?: string;
  readonly text: string;
  /** Aborting cancels the turn (a new message or `/stop`). */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TurnEvent) => void;
  /** Scheduled or background turns count against the budget like any other. */
  readonly background?: boolean;
}

/** A soul the context's licence tier may not use. */
export class SoulNotAllowedError extends QuantForgeError {
  override readonly name: string = 'SoulNotAllowedError';
}

/** The agent runtime of a deployment. */
export interface AgentRuntime {
  chat(input: ChatInput): Promise<TurnResult>;
  /** `/new`: starts a fresh conversation for the context (the old one is kept on disk); kept facts stay. */
  reset(context: RequestContext): Promise<void>;
}

/**
 * What of a subagent's turn the channel sees: its tool calls and results, named
 * `<soul>/<tool>`, so the user sees which tools run; its text and images reach the user through
 * the parent's answer (and the delegate tool's result), not twice.
 */
function subagentEvents(soul: string, onEvent: (event: TurnEvent) => void): (event: TurnEvent) => void {
  return (event) => {
    if (event.type === 'tool_call') onEvent({ ...event, name: `${soul}/${event.name}` });
    else if (event.type === 'tool_result')
      onEvent({ type: 'tool_result', id: event.id, name: `${soul}/${event.name}`, isError: event.isError });
  };
}

/** Builds the runtime over `deps`. */
export function createAgentRuntime(deps: AgentRuntimeDeps): AgentRuntime {
  const notesTool = createNotesTool(deps.notes);

  function soulOf(name: string, context: RequestContext): Soul {
    const soul = deps.souls.get(name);
    if (!soul)
      throw new SoulNotAllowedError(`no soul named "${name}"; valid: ${[...deps.souls.keys()].join(', ')}`);
    if (!soul.tiers.includes(context.licence))
      throw new SoulNotAllowedError(
        `the ${context.licence} licence cannot use the ${name} agent (it is for: ${soul.tiers.join(', ')})`,
      );
    return soul;
  }

  const modelIds = (soul: Soul): string[] =>
    [soul.model, ...soul.fallbackModels].map((key) => {
      const id = deps.models[key];
      if (id === undefined)
        throw new QuantForgeError(`soul ${soul.name}: model key "${key}" is not configured`);
      return id;
    });

  /** The local tools of a soul's turn: notes, knowledge of its namespace, delegation. */
  function localTools(
    soul: Soul,
    input: ChatInput,
    depth: number,
    record: (c: ModelCallRecord, s: Soul) => Promise<void>,
  ): LocalTool[] {
    const { context } = input;
    const tools: LocalTool[] = [
      {
        definition: {
          name: notesTool.name,
          description: notesTool.description,
          input_schema: notesTool.input_schema as ModelToolDefinition['input_schema'],
        },
        run: (toolInput) => notesTool.handle(context, toolInput),
      },
    ];
    if (soul.rag && deps.knowledge) tools.push(createKnowledgeSearchTool(deps.knowledge, soul.rag));
    if (depth < MAX_DELEGATION_DEPTH) {
      for (const name of soul.subagents) {
        const child = deps.souls.get(name);
        // A subagent the user's tier may not use is not offered at all.
        if (!child?.tiers.includes(context.licence)) continue;
        tools.push({
          definition: {
            name: `delegate_to_${name}`,
            description: `${child.description} Give a complete, self-contained task; you get the result, not the conversation.`,
            input_schema: {
              type: 'object',
              properties: { task: { type: 'string', description: 'What to do, with every detail needed.' } },
              required: ['task'],
            },
          },
          run: async (toolInput, signal) => {
            const parsed = delegateInput.safeParse(toolInput);
            if (!parsed.success)
              return {
                content: [
                  {
                    type: 'text',
                    text: `delegate_to_${name}: give {"task": "<what to do>"} (a non-empty string)`,
                  },
                ],
                isError: true,
              };
            let result: TurnResult;
            try {
              result = await runSoul(
                child,
                { ...input, text: parsed.data.task, ...(signal ? { signal } : {}) },
                depth + 1,
                [],
                '',
                record,
              );
            } catch (error) {
              // A cancel ends the whole turn; any other failure is the parent's to explain.
              if (error instanceof TurnCancelledError) throw error;
              const why = error instanceof Error ? error.message : String(error);
              return {
                content: [{ type: 'text', text: `the ${name} agent could not finish: ${why}` }],
                isError: true,
              };
            }
            const content: (TextBlockParam | ImageBlockParam)[] = [
              { type: 'text', text: result.text || '(no answer)' },
              ...result.images,
            ];
            return { content, isError: false };
          },
        });
      }
    }
    return tools;
  }

  async function runSoul(
    soul: Soul,
    input: ChatInput,
    depth: number,
    history: TurnResult['messages'],
    memory: string,
    record: (c: ModelCallRecord, s: Soul) => Promise<void>,
  ): Promise<TurnResult> {
    const { context } = input;
    const host = createMcpToolHost(
      {
        servers: deps.mcp.connectors,
        allowed: allowedTools(soul, deps.toolNames),
        catalog: deps.mcp.catalog,
      },
      context,
    );
    const locals = localTools(soul, input, depth, record);
    const byName = new Map(locals.map((t) => [t.definition.name, t]));
    const tools: TurnTools = {
      async list() {
        return [...(await host.list()), ...locals.map((t) => t.definition)];
      },
      async call(name, toolInput, signal): Promise<ToolOutcome> {
        const local = byName.get(name);
        return local ? local.run(toolInput, signal) : host.call(name, toolInput, signal);
      },
    };
    try {
      const result = await runTurn(
        { model: deps.model, tools, ...(deps.now ? { now: deps.now } : {}) },
        {
          soul: {
            name: soul.name,
            persona: soul.persona,
            models: modelIds(soul),
            limits: soul.limits,
            ...(soul.thinking ? { thinking: soul.thinking } : {}),
          },
          context,
          workspaceBrief: await deps.workspaceBrief(context),
          history,
          ...(memory ? { memory } : {}),
          message: input.text,
          ...(input.signal ? { signal: input.signal } : {}),
          ...(input.onEvent
            ? { onEvent: depth === 0 ? input.onEvent : subagentEvents(soul.name, input.onEvent) }
            : {}),
        },
      );
      for (const call of result.calls) await record(call, soul);
      return result;
    } finally {
      await host.close();
    }
  }

  return {
    async chat(input) {
      const { context } = input;
      const soul = soulOf(input.soul ?? 'coordinator', context);
      // Refused before any model call, with when the budget resets.
      await checkBudget(deps.ledger, deps.budgets, context);
      await deps.memory.remember(context, input.text);
      const conversation = await deps.memory.load(context);
      const logs: BusRecord[] = [];
      const record = async (call: ModelCallRecord, by: Soul) => {
        const entry = await deps.ledger.record({
          context,
          soul: by.name,
          model: call.model,
          usage: call.usage,
          tools: call.tools,
          durationMs: call.durationMs,
          ...(input.background ? { background: true } : {}),
        });
        logs.push(toUsageRecord(entry));
      };
      const result = await runSoul(
        soul,
        input,
        0,
        conversation.messages,
        renderMemory(conversation.summary, conversation.pinned),
        record,
      );
      const turn = await deps.memory.append(context, { messages: [...result.messages], soul: soul.name });
      if (deps.publish) {
        const topic = deps.chatLogTopic?.(context.licence);
        logs.push(...toChatLogRecords(context, turn).map((r) => (topic ? { ...r, topic } : r)));
        await deps.publish(logs).catch((error: unknown) => {
          deps.logger?.warn(
            { err: error, userId: context.userId },
            'agents: chat and usage logs not published',
          );
        });
      }
      return result;
    },
    async reset(context) {
      await deps.memory.reset(context);
    },
  };
}
