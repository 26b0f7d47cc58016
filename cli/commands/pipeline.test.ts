import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseStagesFlag } from '../../app/commands/pipeline.ts';
import { InvalidInputError } from '../../core/errors.ts';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../../bin/quantforge.mjs');

/** Runs `quantforge pipeline …` with `env` added; resolves to its exit code and output. */
async function cli(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'pipeline', ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('quantforge pipeline', () => {
  it('reads --stages as known stage names, each once', () => {
    expect(parseStagesFlag('trades, sink,trades')).toEqual(['trades', 'sink']);
    expect(() => parseStagesFlag('sequencer')).toThrow(
      /--stages: expected one of normalizer, trades, sink, alerts \(got "sequencer"\)/,
    );
    expect(() => parseStagesFlag(' , ')).toThrow(InvalidInputError);
  });

  it('refuses the embedded bus and an unreachable Kafka, saying what to do (exit 2)', async () => {
    const embedded = await cli({ QF_BUS__KIND: 'embedded' }, '--stages', 'trades');
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toContain('the embedded bus lives in one process');
    expect(embedded.stderr).toContain('QF_BUS__KIND=kafka');
    const unreachable = await cli(
      { QF_BUS__KIND: 'kafka', KAFKA_BROKERS: '127.0.0.1:9' },
      '--stages',
      'sink',
    );
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('cannot reach Kafka at 127.0.0.1:9');
    // This command has no embedded mode to point to.
    expect(unreachable.stderr).not.toContain('--bus embedded');
    const bad = await cli({ QF_BUS__KIND: 'kafka' }, '--stages', 'bars');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--stages: expected one of normalizer, trades, sink, alerts');
  });
});
