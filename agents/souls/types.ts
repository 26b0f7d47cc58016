/** A soul: who an agent is (persona), what it may call, which model runs it, its limits. */
export interface Soul {
  readonly name: string;
  /** When to use it; also the description of its `delegate_to_<name>` tool. */
  readonly description: string;
  /** Absolute path of the `.md` file. */
  readonly file: string;
  /** A model KEY of config `agents.models` (the runtime resolves it to a model id). */
  readonly model: string;
  /** Model keys tried in order after `model` fails. */
  readonly fallbackModels: readonly string[];
  /** Tool patterns as written, e.g. `mcp__market-data__*`; see `allowedTools`. */
  readonly tools: readonly string[];
  /** Souls it may delegate to, offered as `delegate_to_<name>` tools. */
  readonly subagents: readonly string[];
  /** Its knowledge namespace (`souls/knowledge/<rag>/`), if any. */
  readonly rag?: string;
  /** Per-turn limits. */
  readonly limits: SoulLimits;
  /** Licence tiers allowed to use it (every configured tier when the file names none). */
  readonly tiers: readonly string[];
  /** Extended thinking, when on. */
  readonly thinking?: { readonly budgetTokens: number };
  /** The Markdown body: the system prompt's stable part. */
  readonly persona: string;
}

/** What one turn of a soul may spend. */
export interface SoulLimits {
  /** Model calls that end in tool use, per turn. */
  readonly toolRounds: number;
  /** `max_tokens` of each model call. */
  readonly outputTokens: number;
  /** Wall time of a whole turn, tool calls included, in milliseconds. */
  readonly wallTimeMs: number;
}

/** What exists, to check soul files against. */
export interface KnownNames {
  /** Every `mcp__<server>__<tool>` our MCP servers expose. */
  readonly tools: readonly string[];
  /** Model keys of config `agents.models`. */
  readonly models: readonly string[];
  /** Knowledge namespaces (folders of `souls/knowledge/`). */
  readonly namespaces: readonly string[];
  /** Licence tiers of config `licences.tiers`. */
  readonly tiers: readonly string[];
}
