/**
 * The agents' eval: trader questions (questions.yaml) asked of the runtime, each scored on the
 * tools it called and on what its answer contains or must not claim; facts are read from the
 * store at eval time, so the set holds whatever the recorded data's latest bar is. An operator
 * runs it against the endpoint they configured (`npm run eval -- agents`) to judge a model or a
 * soul change before it reaches traders; the suite runs it against the scripted server.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import type { RequestContext } from '../../mcp-servers/common/context.ts';
import type { MarketDataSource } from '../../mcp-servers/common/market-source.ts';
import type { AgentRuntime } from '../runtime/agent.ts';

const factSchema = z.strictObject({
  kind: z.literal('last-close').describe('the close of the latest stored bar of the series'),
  symbol: z.string().min(1),
  period: z.string().min(1),
});

const questionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  ask: z.string().min(1),
  soul: z.string().optional(),
  toolsAllOf: z.array(z.string()).optional(),
  toolsAnyOf: z.array(z.string()).optional(),
  toolsNone: z.array(z.string()).optional(),
  contains: z.array(z.string()).optional(),
  notContains: z.array(z.string()).optional(),
  facts: z.array(factSchema).optional(),
});

/** One question of the set. */
export type EvalQuestion = z.infer<typeof questionSchema>;
/** A fact to read from the store. */
export type EvalFact = z.infer<typeof factSchema>;

/** The shipped question set. */
export const QUESTIONS_FILE = fileURLToPath(new URL('./questions.yaml', import.meta.url));

/** Reads and validates a question file; throws naming the question and key that are wrong. */
export function loadQuestions(file = QUESTIONS_FILE): EvalQuestion[] {
  const parsed = z.array(questionSchema).safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const ids = new Set<string>();
  for (const q of parsed.data) {
    if (ids.has(q.id)) throw new Error(`${file}: question id "${q.id}" is used twice`);
    ids.add(q.id);
  }
  return parsed.data;
}

/** One check of a question and whether it held. */
export interface EvalCheck {
  readonly what: string;
  readonly ok: boolean;
}

/** How one question went. */
export interface EvalResult {
  readonly id: string;
  /** Checks passed / checks, 0..1 (a question that failed to run scores 0). */
  readonly score: number;
  readonly checks: readonly EvalCheck[];
  readonly toolsCalled: readonly string[];
  readonly answer: string;
  readonly tokens: {
    readonly input: number;
    readonly output: number;
    readonly cacheRead: number;
    readonly cacheWrite: number;
  };
  readonly error?: string;
}

/** What {@link runEval} needs. */
export interface EvalDeps {
  readonly runtime: AgentRuntime;
  /** The values a fact may appear as in an answer (e.g. `61855.37`). */
  factValues(fact: EvalFact): Promise<readonly string[]>;
  /** The context a question is asked in (a fresh user per question: no history leaks between them). */
  contextFor(question: EvalQuestion): RequestContext;
}

/** Fact values read from the store: the latest bar's close of the series (venue BINANCE). */
export function factsFromStore(
  market: Pick<MarketDataSource, 'latestBar'>,
): (fact: EvalFact) => Promise<readonly string[]> {
  return async (fact) => {
    const bar = await market.latestBar({ venue: 'BINANCE', symbol: fact.symbol, period: fact.period });
    return bar ? [bar.close] : [];
  };
}

/** Lower case, and numbers without thousands separators, so "61,855.37" matches "61855.37". */
const normalize = (text: string): string => text.toLowerCase().replace(/(\d),(?=\d{3}\b)/g, '$1');

/** Scores one answer against its question (pure). */
export function scoreAnswer(
  q: EvalQuestion,
  answer: string,
  toolsCalled: readonly string[],
  facts: readonly { fact: EvalFact; values: readonly string[] }[],
): EvalCheck[] {
  const text = normalize(answer);
  const called = new Set(toolsCalled);
  const checks: EvalCheck[] = [];
  for (const t of q.toolsAllOf ?? []) checks.push({ what: `called ${t}`, ok: called.has(t) });
  if (q.toolsAnyOf)
    checks.push({
      what: `called one of ${q.toolsAnyOf.join(', ')}`,
      ok: q.toolsAnyOf.some((t) => called.has(t)),
    });
  for (const t of q.toolsNone ?? []) checks.push({ what: `did not call ${t}`, ok: !called.has(t) });
  for (const c of q.contains ?? []) checks.push({ what: `says "${c}"`, ok: text.includes(normalize(c)) });
  for (const c of q.notContains ?? [])
    checks.push({ what: `does not claim "${c}"`, ok: !text.includes(normalize(c)) });
  for (const { fact, values } of facts)
    checks.push({
      what: `states the ${fact.kind} of ${fact.symbol} ${fact.period} (${values[0] ?? 'no data'})`,
      ok: values.length > 0 && values.some((v) => text.includes(normalize(v))),
    });
  return checks;
}

/** Asks every question and scores it; `onResult` hears each as it finishes. */
export async function runEval(
  deps: EvalDeps,
  questions: readonly EvalQuestion[],
  onResult?: (result: EvalResult) => void,
): Promise<EvalResult[]> {
  const results: EvalResult[] = [];
  for (const q of questions) {
    const toolsCalled: string[] = [];
    let result: EvalResult;
    try {
      const turn = await deps.runtime.chat({
        context: deps.contextFor(q),
        text: q.ask,
        ...(q.soul ? { soul: q.soul } : {}),
        onEvent: (e) => {
          if (e.type === 'tool_call') toolsCalled.push(e.name);
        },
      });
      const facts = await Promise.all(
        (q.facts ?? []).map(async (fact) => ({ fact, values: await deps.factValues(fact) })),
      );
      const checks = scoreAnswer(q, turn.text, toolsCalled, facts);
      const tokens = turn.calls.reduce(
        (t, c) => ({
          input: t.input + c.usage.input,
          output: t.output + c.usage.output,
          cacheRead: t.cacheRead + c.usage.cacheRead,
          cacheWrite: t.cacheWrite + c.usage.cacheWrite,
        }),
        { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      );
      const passed = checks.filter((c) => c.ok).length;
      result = {
        id: q.id,
        score: checks.length === 0 ? 1 : passed / checks.length,
        checks,
        toolsCalled,
        answer: turn.text,
        tokens,
      };
    } catch (error) {
      result = {
        id: q.id,
        score: 0,
        checks: [],
        toolsCalled,
        answer: '',
        tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
        error: error instanceof Error ? error.message : String(error),
      };
    }
    results.push(result);
    onResult?.(result);
  }
  return results;
}
