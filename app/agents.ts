/**
 * The agents of one process wired from the configuration: the Messages API client
 * (`agents.anthropic.baseUrl`, secret `anthropic.apiKey`), the soul files validated against the
 * tools our MCP servers really expose, the MCP servers in process (each turn's tools bound to
 * its request context by the transport), history, notes, usage ledger, budgets and knowledge,
 * all under the data dir.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKnowledgeBase } from '../agents/knowledge/index.ts';
import { createConversationStore, createNotes, type Summarizer } from '../agents/memory/index.ts';
import { createModelClient, type ModelClient, timerSleep } from '../agents/model/index.ts';
import { type AgentRuntime, createAgentRuntime } from '../agents/runtime/agent.ts';
import { loadSouls, type Soul } from '../agents/souls/index.ts';
import { createMcpToolHost, createToolCatalog, inProcessConnector } from '../agents/tools/index.ts';
import { createUsageLedger } from '../agents/usage/index.ts';
import { QuantForgeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { MCP_SERVER_NAMES, type McpServerName } from '../mcp-servers/server-names.ts';
import type { McpServices } from '../mcp-servers/services.ts';
import { formatBrief } from '../mcp-servers/workspace/index.ts';
import { chatLogTopic } from '../pipeline/bus/topic-names.ts';
import { loadTopics } from '../pipeline/bus/topics.ts';
import type { Bus, BusRecord } from '../pipeline/bus/types.ts';
import type { Config, Secrets } from './config/index.ts';

/** The secret the agents need is missing: say which and where. */
export class AgentsDisabledError extends QuantForgeError {
  override readonly name: string = 'AgentsDisabledError';
}

/** Options of {@link openAgentRuntime}. */
export interface OpenAgentRuntimeOptions {
  /** Root the relative `agents.soulsDir` is resolved against (default: this checkout, where the shipped souls are). */
  readonly root?: string;
  /** The backoff sleep of the model client (default real timers). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The bus chat and usage logs go to (`log.chat`, `log.usage`); none in a process without one. */
  readonly bus?: Bus;
  /**
   * Servers not offered to souls in this process (e.g. research without its venv); a soul naming
   * their tools still loads, and goes without them.
   */
  readonly without?: readonly McpServerName[];
}

/** A summarizer that asks the fast model to fold old turns into a short factual summary. */
function modelSummarizer(model: ModelClient, modelIds: readonly string[]): Summarizer {
  return async (turns, previous) => {
    const transcript = JSON.stringify(turns.map((t) => t.messages));
    const response = await model.stream({
      models: modelIds,
      system: [
        {
          type: 'text',
          text: 'Summarize this conversation between a trader and a market-data assistant in at most 200 words: what was asked, the answers with their numbers, sources and as-of times, and open questions. Facts only.',
        },
      ],
      tools: [],
      messages: [
        {
          role: 'user',
          content: `${previous ? `Summary so far:\n${previous}\n\n` : ''}Conversation:\n${transcript}`,
        },
      ],
      maxTokens: 600,
    });
    return response.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  };
}

/**
 * Narrows each soul's tiers to those whose licence lets them talk to it (`licences.tiers.<tier>.souls`,
 * `*` for all), so the runtime's tier check enforces both the soul file and the licence.
 */
export function allowSoulsByLicence(
  souls: ReadonlyMap<string, Soul>,
  tiers: Readonly<Record<string, { readonly souls: readonly string[] }>>,
): Map<string, Soul> {
  const allows = (tier: string, soul: string): boolean => {
    const allowed = tiers[tier]?.souls ?? [];
    return allowed.includes('*') || allowed.includes(soul);
  };
  return new Map(
    [...souls].map(([name, soul]) => [name, { ...soul, tiers: soul.tiers.filter((t) => allows(t, name)) }]),
  );
}

/** Builds the agent runtime over `services` (the MCP servers' shared services of this process). */
export async function openAgentRuntime(
  deps: { readonly logger: Logger; readonly services: McpServices },
  config: Config,
  secrets: Secrets,
  options: OpenAgentRuntimeOptions = {},
): Promise<AgentRuntime> {
  const apiKey = secrets.anthropic.apiKey;
  if (!apiKey)
    throw new AgentsDisabledError(
      'the agents need an Anthropic API key: set anthropic.apiKey in secrets.yaml (or QF_SECRET_ANTHROPIC__API_KEY / ANTHROPIC_API_KEY)',
    );
  const { logger, services } = deps;
  const agents = config.agents;
  const model = createModelClient(
    { sleep: options.sleep ?? timerSleep, random: Math.random, now: Date.now, logger },
    { baseUrl: agents.anthropic.baseUrl, apiKey },
  );

  // Every server but backfill (which needs a backfill service of its own) is offered to souls,
  // less those this process runs without. Souls are checked against every server's tools, so a
  // missing venv does not turn the researcher's soul file into an error.
  const all = MCP_SERVER_NAMES.filter((n) => n !== 'backfill');
  const offered = all.filter((n) => !(options.without ?? []).includes(n));
  const everyConnector = all.map((n) => inProcessConnector(n, services));
  const connectors = everyConnector.filter((_, i) => offered.includes(all[i]!));
  const catalog = createToolCatalog();
  const lister = createMcpToolHost(
    { servers: everyConnector, catalog },
    { userId: 'system', workspaceId: 'default', channel: 'agent', licence: 'local' },
  );
  const allToolNames = (await lister.list()).map((t) => t.name);
  await lister.close();
  const toolNames = allToolNames.filter((t) => offered.some((n) => t.startsWith(`mcp__${n}__`)));

  const soulsDir = resolve(options.root ?? fileURLToPath(new URL('..', import.meta.url)), agents.soulsDir);
  const knowledge = createKnowledgeBase(join(soulsDir, 'knowledge'));
  const tiers = config.licences.tiers;
  const souls = allowSoulsByLicence(
    loadSouls(soulsDir, {
      tools: allToolNames,
      models: Object.keys(agents.models),
      namespaces: knowledge.namespaces(),
      tiers: Object.keys(tiers),
    }),
    tiers,
  );
  const fast = agents.models.fast ?? agents.models.default;
  const dataDir = services.dataDir;
  const declaredTopics = new Set(loadTopics().map((t) => t.name));
  return createAgentRuntime({
    model,
    souls,
    models: agents.models,
    mcp: { connectors, catalog },
    toolNames,
    memory: createConversationStore({
      dataDir,
      summarize: modelSummarizer(model, [fast ?? '']),
      maxTokens: agents.history.compactAtTokens,
      logger,
    }),
    notes: createNotes({ dataDir, maxBytes: agents.notesMaxBytes }),
    ledger: createUsageLedger({ dataDir, prices: agents.prices, logger }),
    budgets: tiers,
    knowledge,
    workspaceBrief: async (context) => formatBrief(await services.workspaces.load(context)),
    logger,
    ...(options.bus ? { publish: (records: BusRecord[]) => options.bus!.produce(records) } : {}),
    // Each tier's chat log goes to its own topic where deploy/topics.yaml declares one (retention).
    chatLogTopic: (licence) => chatLogTopic(licence, declaredTopics),
  });
}
