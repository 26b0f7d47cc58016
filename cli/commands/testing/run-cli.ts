/** Runs the `quantforge` binary as a child process until it says it is up, for the CLI's end-to-end tests. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { until } from '../../../test/support/index.ts';

/** The built CLI entry. */
export const BIN = resolve(import.meta.dirname, '../../../bin/quantforge.mjs');

/** A running `quantforge` command. */
export interface RunningCli {
  /** All it printed on stdout so far. */
  stdout(): string;
  /** Sends SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns `quantforge <args>` with `env` and waits (up to `timeoutMs`) for its "Ctrl-C to stop."
 * banner; fails with its output when it exits first or never says so (and then stops it).
 */
export async function runCliUntilReady(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<RunningCli> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const stop = async () => {
    child.kill('SIGTERM');
    return exited;
  };
  try {
    await until(
      () => {
        if (child.exitCode !== null) throw new Error(`${args[0]} exited:\n${stdout}\n${stderr}`);
        return stdout.includes('Ctrl-C to stop.');
      },
      () => `${args[0]} to come up:\n${stdout}\n${stderr}`,
      { timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { stdout: () => stdout, stop };
}
