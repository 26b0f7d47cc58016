import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDataDir } from './reference-data.ts';

/** One Tulip Indicators test vector: name, options, input series and expected outputs (after the lookback). */
export interface TulipVector {
  readonly file: string;
  readonly name: string;
  readonly options: number[];
  readonly series: number[][];
}

/**
 * Parses `indicators/tulipindicators-{atoz,extra,untest}.txt`: blocks separated by blank
 * lines, "name opts..." then one "{...}" line per input and then per output; "#" lines
 * are comments. Inputs and outputs are returned together in `series` (the caller knows
 * how many inputs the indicator takes). Used by tests only.
 */
export function loadTulipVectors(): TulipVector[] {
  const vectors: TulipVector[] = [];
  for (const file of ['atoz', 'extra', 'untest']) {
    const text = readFileSync(
      path.join(sharedDataDir(), 'indicators', `tulipindicators-${file}.txt`),
      'utf8',
    );
    let current: TulipVector | undefined;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line.startsWith('#')) continue;
      if (line === '') {
        if (current !== undefined) vectors.push(current);
        current = undefined;
      } else if (line.startsWith('{')) {
        const body = line.slice(1, line.lastIndexOf('}')).trim();
        current?.series.push(body === '' ? [] : body.split(',').map(Number));
      } else {
        const [name, ...opts] = line.split(/\s+/);
        current = { file, name: name!, options: opts.map(Number), series: [] };
      }
    }
    if (current !== undefined) vectors.push(current);
  }
  return vectors;
}
