import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { ImageBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { openMcpServices } from '../../mcp-servers/services.ts';
import { openAgentRuntime } from '../agents.ts';
import { alertLimitsOf } from '../config/index.ts';
import { researchOptions } from '../research.ts';
import { type CommonOptions, loadContext, parseIdFlags } from './context.ts';

export interface ChatOptions extends CommonOptions {
  readonly user: string;
  readonly workspace: string;
  readonly soul: string;
  readonly once?: string;
}

/** Writes the turn's images (charts) as PNG files and returns their paths. */
function saveImages(images: readonly ImageBlockParam[]): string[] {
  if (images.length === 0) return [];
  const dir = join(tmpdir(), 'quantforge-chat');
  mkdirSync(dir, { recursive: true });
  return images.flatMap((image, i) => {
    if (image.source.type !== 'base64') return [];
    const path = join(dir, `chart-${Date.now()}-${i}.png`);
    writeFileSync(path, Buffer.from(image.source.data, 'base64'));
    return [path];
  });
}

/**
 * `quantforge chat`: a terminal chat with a soul (default the coordinator) that streams its
 * answer; `--once` answers one message and exits. `/new` starts a fresh conversation, Ctrl-C
 * stops the running answer, `/exit` (or Ctrl-D) leaves.
 */
export async function runChatCommand(options: ChatOptions): Promise<void> {
  parseIdFlags({ '--user': options.user, '--workspace': options.workspace });
  const ctx = loadContext(options, 'chat');
  const services = await openMcpServices({
    dataDir: ctx.store.dataDir,
    store: ctx.store,
    logger: ctx.logger,
    research: researchOptions(ctx.config),
    alertLimits: alertLimitsOf(ctx.config.licences),
  });
  try {
    const agents = await openAgentRuntime({ logger: ctx.logger, services }, ctx.config, ctx.secrets);
    const context = {
      userId: options.user,
      workspaceId: options.workspace,
      channel: 'cli',
      licence: 'local',
    };
    const ask = async (text: string, signal?: AbortSignal) => {
      const result = await agents.chat({
        context,
        soul: options.soul,
        text,
        ...(signal ? { signal } : {}),
        onEvent: (event) => {
          if (event.type === 'text') process.stdout.write(event.text);
          else if (event.type === 'tool_call') process.stderr.write(`  [${event.name}]\n`);
        },
      });
      process.stdout.write('\n');
      for (const path of saveImages(result.images)) process.stdout.write(`chart: ${path}\n`);
    };
    if (options.once !== undefined) {
      await ask(options.once);
      return;
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
    process.stdout.write(
      `chatting with ${options.soul} as ${options.user}/${options.workspace}; /new, /exit, Ctrl-C stops an answer\n`,
    );
    let running: AbortController | undefined;
    rl.on('SIGINT', () => {
      if (running) running.abort();
      else rl.close();
    });
    rl.prompt();
    for await (const line of rl) {
      const text = line.trim();
      if (text === '/exit') break;
      if (text === '/new') {
        await agents.reset(context);
        process.stdout.write('(a new conversation)\n');
      } else if (text !== '') {
        running = new AbortController();
        try {
          await ask(text, running.signal);
        } catch (error) {
          process.stdout.write(`\n(${error instanceof Error ? error.message : String(error)})\n`);
        } finally {
          running = undefined;
        }
      }
      rl.prompt();
    }
    rl.close();
  } finally {
    services.close();
  }
}
