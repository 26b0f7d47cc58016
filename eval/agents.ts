/**
 * The agents' eval against the endpoint in config.yaml / secrets.yaml (`agents.anthropic.baseUrl`,
 * `anthropic.apiKey`) over the configured store: each question of agents/eval/questions.yaml is
 * asked as a fresh user, scored on the tools called and the facts in the answer, with its tokens.
 *
 * Usage: npm run eval -- agents [--only id,id] (QF_CONFIG / QF_SECRETS pick the files)
 */

import { factsFromStore, loadQuestions, runEval } from '../agents/eval/eval.ts';
import { createUsageLedger } from '../agents/usage/index.ts';
import { openAgentRuntime } from '../app/agents.ts';
import { loadConfig } from '../app/config/index.ts';
import { createLogger } from '../core/logger.ts';
import { openMcpServices } from '../mcp-servers/services.ts';

const only = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]?.split(',')
  : undefined;
const { config, secrets } = loadConfig();
// Unpriced models are summed at the end; one warning per call would drown the table.
const logger = createLogger({ name: 'eval', level: 'error' });
const services = await openMcpServices({ dataDir: config.store.dataDir, store: config.store, logger });
const runtime = await openAgentRuntime({ logger, services }, config, secrets);
const questions = loadQuestions().filter((q) => only === undefined || only.includes(q.id));
const licence = Object.keys(config.licences.tiers)[0] ?? 'local';
const run = Date.now().toString(36);

process.stdout.write(
  `agents eval: ${questions.length} questions against ${config.agents.anthropic.baseUrl}, store ${config.store.dataDir}\n`,
);
const results = await runEval(
  {
    runtime,
    contextFor: (q) => ({
      userId: `eval-${run}-${q.id}`.slice(0, 64),
      workspaceId: 'eval',
      channel: 'eval',
      licence,
    }),
    factValues: factsFromStore(services.market),
  },
  questions,
  (r) => {
    const failed = r.checks.filter((c) => !c.ok).map((c) => c.what);
    process.stdout.write(
      `${r.id.padEnd(22)} ${(r.score * 100).toFixed(0).padStart(3)}%  in ${r.tokens.input} (cache read ${r.tokens.cacheRead}, write ${r.tokens.cacheWrite}) out ${r.tokens.output}` +
        `${r.error ? `  error: ${r.error}` : ''}${failed.length > 0 ? `  missed: ${failed.join('; ')}` : ''}\n`,
    );
  },
);
const mean = results.reduce((s, r) => s + r.score, 0) / Math.max(1, results.length);
const sum = (k: 'input' | 'output' | 'cacheRead' | 'cacheWrite') =>
  results.reduce((s, r) => s + r.tokens[k], 0);
// Cost from the usage ledger, priced by agents.prices (calls of unpriced models are counted apart).
const ledger = createUsageLedger({ dataDir: config.store.dataDir, prices: config.agents.prices, logger });
let cost = 0;
let unpriced = 0;
for (const q of questions) {
  const totals = await ledger.totals(`eval-${run}-${q.id}`.slice(0, 64), new Date());
  cost += totals.costUsd;
  unpriced += totals.unpricedCalls;
}
process.stdout.write(
  `score ${(mean * 100).toFixed(1)}% over ${results.length} questions; tokens in ${sum('input')} (cache read ${sum('cacheRead')}, write ${sum('cacheWrite')}) out ${sum('output')}; ` +
    `cost $${cost.toFixed(4)}${unpriced > 0 ? ` (+ ${unpriced} calls of models without a price in agents.prices)` : ''}\n`,
);
services.close();
