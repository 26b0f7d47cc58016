/**
 * The kafkajs patch (patches/kafkajs+2.2.4.patch, applied by `postinstall`): kafkajs must load the
 * native CRC32C, compute the same checksums as its own JS implementation, and encode every byte
 * exactly as unpatched kafkajs 2.2.4 does. The unpatched reference is the installed kafkajs with the
 * patch reversed (`git apply -R`) in a temporary copy, so the comparison needs no copied code.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/seeded-random.ts';
import { RecordPackCodec } from '../../../proto/index.ts';
import { recordedTrades } from '../testing/index.ts';
import {
  type EncoderClass,
  type EncoderLike,
  type KafkajsInternals,
  loadKafkajsInternals,
  type ProduceMessage,
} from './testing/kafkajs-patch.ts';

const require = createRequire(import.meta.url);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PATCH = path.join(repoRoot, 'patches', 'kafkajs+2.2.4.patch');
const kafkajsDir = path.dirname(require.resolve('kafkajs/package.json'));

const patched: KafkajsInternals = loadKafkajsInternals(kafkajsDir);

/** Unpatched kafkajs: a copy of the installed one with the patch reversed. */
const referenceRoot = mkdtempSync(path.join(os.tmpdir(), 'kafkajs-unpatched-'));
afterAll(() => rmSync(referenceRoot, { recursive: true, force: true }));
try {
  cpSync(kafkajsDir, path.join(referenceRoot, 'node_modules', 'kafkajs'), { recursive: true });
  // fails if the installed kafkajs is not exactly 2.2.4 with this patch applied
  execFileSync('git', ['apply', '-R', PATCH], { cwd: referenceRoot, stdio: 'pipe' });
} catch (error) {
  rmSync(referenceRoot, { recursive: true, force: true });
  throw error;
}
const reference: KafkajsInternals = loadKafkajsInternals(path.join(referenceRoot, 'node_modules', 'kafkajs'));

/** The recorded trades as Envelope bytes (the project's codecs), joined. */
const tradeValues = recordedTrades(3000).map((t) => Buffer.from(t.value));
const tradeBytes = Buffer.concat(tradeValues);

describe('kafkajs patch: CRC32C', () => {
  it('kafkajs loads the native CRC32C and the patched encoder (a silently failed patch fails here)', () => {
    expect(patched.crc32C.implementation).toBe('native');
    expect(typeof patched.Encoder.prototype.chunkList).toBe('function');
    expect(typeof patched.Encoder.prototype.writeTo).toBe('function');
    // the reference really is unpatched
    expect(reference.crc32C.implementation).toBeUndefined();
    expect(reference.Encoder.prototype.chunkList).toBeUndefined();
  });

  it('matches the published CRC32C check values', () => {
    const vectors: Array<[Buffer, number]> = [
      [Buffer.from('123456789'), 0xe3069283],
      [Buffer.alloc(32, 0x00), 0x8a9136aa],
      [Buffer.alloc(32, 0xff), 0x62a8ab43],
      [Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
      [Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
    ];
    for (const [bytes, expected] of vectors) {
      expect(patched.crc32C(bytes)).toBe(expected);
      expect(patched.crc32CJs(bytes)).toBe(expected);
      // chunked: the native incremental path, whatever the length
      expect(patched.crc32C.ofChunks([bytes.subarray(0, 5), bytes.subarray(5)])).toBe(expected);
    }
    expect(patched.crc32C(Buffer.alloc(0))).toBe(0);
  });

  it("equals kafkajs' JS CRC32C over encoded recorded trades, whole, sliced and chunked", () => {
    expect(patched.crc32C(tradeBytes)).toBe(patched.crc32CJs(tradeBytes));
    for (const length of [1, 63, 127, 128, 129, 200, 1000, 4095, 4096, 65_537]) {
      for (const start of [0, 1, 7, 1234]) {
        const slice = tradeBytes.subarray(start, start + length);
        expect(patched.crc32C(slice)).toBe(patched.crc32CJs(slice));
      }
    }
    expect(patched.crc32C.ofChunks(tradeValues)).toBe(patched.crc32CJs(tradeBytes));
    expect(patched.crc32C.ofChunks([Buffer.alloc(0), tradeBytes])).toBe(patched.crc32CJs(tradeBytes));
  });

  it('falls back to the JS implementation when @node-rs/crc32 cannot load', () => {
    const script = `
      const Module = require('node:module');
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (request === '@node-rs/crc32') throw new Error('native module unavailable');
        return load.call(this, request, ...rest);
      };
      const crc = require(${JSON.stringify(path.join(kafkajsDir, 'src/protocol/recordBatch/crc32C'))});
      const bytes = Buffer.from(process.argv[1], 'base64');
      console.log(JSON.stringify([crc.implementation, crc(bytes), crc.ofChunks([bytes.subarray(0, 9), bytes.subarray(9)])]));
    `;
    const bytes = tradeBytes.subarray(0, 5000);
    const out = execFileSync(process.execPath, ['-e', script, bytes.toString('base64')], {
      encoding: 'utf8',
    });
    const expected = patched.crc32CJs(bytes);
    expect(JSON.parse(out)).toEqual(['js', expected, expected]);
  });
});

const SIZES = [0, 1, 100, 511, 512, 4095, 4096, 4097, 20_000];

/**
 * Applies one seeded random script of writes to a fresh encoder of `Encoder`: every write kind,
 * nested encoders of every size around the reference threshold, a child written into two parents
 * and then written to again, `buffer` read mid-way. Same seed, same writes, whichever class.
 */
function runScript(Encoder: EncoderClass, seed: number, depth = 0): EncoderLike {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  // one large value per top-level script at most, so scripts stay a few MB
  const bytes = (): Buffer => tradeBytes.subarray(0, depth === 0 && random() < 0.03 ? 300_000 : pick(SIZES));
  const int = (): number => pick([0, 1, -1, 63, 64, -65, 300, 2 ** 20, -(2 ** 30), 2 ** 31 - 1]);
  const encoder = new Encoder(pick([undefined, 1, 64, 4096]));
  const steps = depth === 0 ? 60 : 12;
  for (let step = 0; step < steps; step++) {
    const kind = Math.floor(random() * 24);
    switch (kind) {
      case 0:
        encoder.writeInt8(int() & 0x7f);
        break;
      case 1:
        encoder.writeInt16(int() & 0x7fff);
        break;
      case 2:
        encoder.writeInt32(int());
        break;
      case 3:
        encoder.writeUInt32(int() >>> 0);
        break;
      case 4:
        encoder.writeInt64(pick([0, -1, 2 ** 52, '9007199254740993']));
        break;
      case 5:
        encoder.writeDouble(random());
        break;
      case 6:
        encoder.writeBoolean(random() < 0.5);
        break;
      case 7:
        encoder.writeString(pick([null, '', 'BINANCE:BTCUSDT', 'é€😀'.repeat(50)]));
        break;
      case 8:
        encoder.writeVarIntString(pick([null, '', 'qf-pack', 'x'.repeat(5000)]));
        break;
      case 9:
        encoder.writeUVarIntString(pick([null, '', 'topic']));
        break;
      case 10:
        encoder.writeBytes(pick([null, bytes(), 'text value']));
        break;
      case 11:
        encoder.writeVarIntBytes(pick([null, bytes(), 'text']));
        break;
      case 12:
        encoder.writeUVarIntBytes(pick([null, bytes(), 'text']));
        break;
      case 13:
        encoder.writeVarInt(int());
        break;
      case 14:
        encoder.writeUVarInt(int() >>> 0);
        break;
      case 15:
        encoder.writeVarLong(pick([0, 1, -1, 1_723_161_240_000_000, -(2 ** 40)]));
        break;
      case 16:
        encoder.writeBuffer(bytes());
        break;
      case 17:
        if (depth < 3) encoder.writeEncoder(runScript(Encoder, seed * 31 + step, depth + 1));
        break;
      case 18:
        if (depth < 3) {
          const children = [1, 2, 3].map((i) => runScript(Encoder, seed * 17 + step * 3 + i, depth + 1));
          encoder.writeEncoderArray(children);
          encoder.writeArray(children, 'object');
        }
        break;
      case 19:
        encoder.writeArray(['a', 'bc', ''], 'string').writeArray([1, -2, 3]).writeNullableArray([]);
        break;
      case 20:
        if (depth < 3) {
          // one child in two parents, then the child grows: both parents keep what it held
          const child = runScript(Encoder, seed * 7 + step, depth + 1);
          const other = new Encoder().writeEncoder(child);
          child.writeBytes(bytes()).writeInt32(int());
          encoder.writeEncoder(other).writeEncoder(child);
        }
        break;
      case 21:
        if (encoder.size() < 100_000) encoder.writeBytes(encoder.buffer);
        break;
      case 22:
        if (depth < 3) encoder.writeVarIntArray([runScript(Encoder, seed + step, depth + 1)], 'object');
        break;
      default:
        expect(encoder.size()).toBe(encoder.buffer.length);
    }
  }
  return encoder;
}

/** A stand-in for the socket: records writes and cork/uncork calls in order. */
function recordingStream() {
  const chunks: Buffer[] = [];
  const calls: string[] = [];
  return {
    chunks,
    calls,
    cork: () => calls.push('cork'),
    uncork: () => calls.push('uncork'),
    write: (chunk: Buffer) => {
      calls.push('write');
      chunks.push(Buffer.from(chunk));
      return true;
    },
  };
}

describe('kafkajs patch: Encoder', () => {
  it('encodes every write exactly as unpatched kafkajs (seeded random scripts)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const expected = runScript(reference.Encoder, seed);
      const actual = runScript(patched.Encoder, seed);
      expect(actual.size(), `seed ${seed}`).toBe(expected.size());
      expect(actual.buffer.equals(expected.buffer), `seed ${seed}`).toBe(true);
      // reading `buffer` again, and writing on after it, still agree
      expect(actual.writeInt32(7).buffer.equals(expected.writeInt32(7).buffer), `seed ${seed}`).toBe(true);
    }
  });

  const TS = 1_723_161_240_000;
  /** Produce request cases: packed trades, unpacked trades with headers and tombstones. */
  const packs = (): ProduceMessage[] => {
    const out: ProduceMessage[] = [];
    for (let i = 0; i < tradeValues.length; i += 1200) {
      const value = Buffer.from(RecordPackCodec.encode({ values: tradeValues.slice(i, i + 1200) }));
      out.push({ key: `BINANCE:BTCUSDT:${i}`, value, timestamp: TS + i, headers: { 'qf-pack': '1' } });
    }
    return out;
  };
  const singles = (): ProduceMessage[] =>
    tradeValues.slice(0, 2000).map((value, i) => ({
      key: i % 5 === 0 ? null : `BINANCE:BTCUSDT:${i % 8}`,
      value: i % 97 === 0 ? null : value,
      timestamp: TS + (i % 13),
      headers: i % 3 === 0 ? { 'qf-source': 'test', 'qf-list': ['a', 'b'] } : undefined,
    }));

  for (const version of [3, 7]) {
    for (const compression of [0, 1]) {
      it(`produce v${version} requests (${compression ? 'gzip' : 'uncompressed'}) are byte-identical`, async () => {
        const request = (internals: KafkajsInternals) =>
          internals.produceRequest(version)({
            acks: -1,
            timeout: 30_000,
            transactionalId: compression ? 'qf-tx-1' : null,
            producerId: internals.Long.fromNumber(4242),
            producerEpoch: 3,
            compression,
            topicData: [
              { topic: 'norm.trade', partitions: [{ partition: 0, firstSequence: 11, messages: packs() }] },
              {
                topic: 'raw.binance.trade',
                partitions: [
                  { partition: 3, firstSequence: 0, messages: singles() },
                  { partition: 5, firstSequence: 9, messages: singles().slice(0, 7) },
                ],
              },
            ],
          });
        const encode = (internals: KafkajsInternals) =>
          internals.createRequest({ correlationId: 77, clientId: 'quantforge', request: request(internals) });
        const expected = (await encode(reference)).buffer;
        const actual = (await encode(patched)).buffer;
        expect(actual.length).toBe(expected.length);
        expect(actual.equals(expected)).toBe(true);
        // as the patched connection writes it: the chunks, corked into one writev
        const socket = recordingStream();
        (await encode(patched)).writeTo?.(socket);
        expect(socket.calls.filter((call) => call !== 'write')).toEqual(
          socket.chunks.length > 1 ? ['cork', 'uncork'] : [],
        );
        expect(Buffer.concat(socket.chunks).equals(expected)).toBe(true);
      });
    }
  }
});
