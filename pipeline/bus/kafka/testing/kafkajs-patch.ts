/**
 * Typed access to the kafkajs internals the kafkajs patch touches (encoder, CRC32C, produce
 * requests), loaded from a given kafkajs directory so a patched and an unpatched copy can be
 * compared side by side. For tests only.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/** The part of a writable stream the patched `Encoder.writeTo` uses. */
export interface ChunkSink {
  cork(): void;
  uncork(): void;
  write(chunk: Buffer): boolean;
}

/** The part of kafkajs' `Encoder` (src/protocol/encoder.js) the tests drive. */
export interface EncoderLike {
  readonly buffer: Buffer;
  size(): number;
  chunkList?: () => Buffer[];
  writeTo?: (stream: ChunkSink) => void;
  writeInt8(value: number): EncoderLike;
  writeInt16(value: number): EncoderLike;
  writeInt32(value: number): EncoderLike;
  writeUInt32(value: number): EncoderLike;
  writeInt64(value: number | string): EncoderLike;
  writeDouble(value: number): EncoderLike;
  writeBoolean(value: boolean): EncoderLike;
  writeString(value: string | null): EncoderLike;
  writeVarIntString(value: string | null): EncoderLike;
  writeUVarIntString(value: string | null): EncoderLike;
  writeBytes(value: Buffer | string | null): EncoderLike;
  writeVarIntBytes(value: Buffer | string | null): EncoderLike;
  writeUVarIntBytes(value: Buffer | string | null): EncoderLike;
  writeVarInt(value: number): EncoderLike;
  writeUVarInt(value: number): EncoderLike;
  writeVarLong(value: number): EncoderLike;
  writeBuffer(value: Buffer): EncoderLike;
  writeEncoder(value: EncoderLike): EncoderLike;
  writeEncoderArray(value: EncoderLike[]): EncoderLike;
  writeArray(value: ReadonlyArray<EncoderLike | string | number>, type?: string): EncoderLike;
  writeNullableArray(value: ReadonlyArray<EncoderLike | string | number>, type?: string): EncoderLike;
  writeVarIntArray(value: EncoderLike[], type?: string): EncoderLike;
}

export interface EncoderClass {
  new (initialSize?: number): EncoderLike;
  readonly prototype: EncoderLike;
}

/** kafkajs' CRC32C (src/protocol/recordBatch/crc32C/index.js); the extras exist once patched. */
export interface Crc32C {
  (buffer: Buffer): number;
  ofChunks: (chunks: readonly Buffer[]) => number;
  implementation?: 'native' | 'js';
}

/** A message as kafkajs' produce request takes it. */
export interface ProduceMessage {
  key: string | null;
  value: Buffer | null;
  timestamp: number;
  headers?: Record<string, string | string[]> | undefined;
}

interface LongLike {
  fromNumber(value: number): unknown;
}

interface ProduceRequestArgs {
  acks: number;
  timeout: number;
  transactionalId: string | null;
  producerId: unknown;
  producerEpoch: number;
  compression: number;
  topicData: Array<{
    topic: string;
    partitions: Array<{ partition: number; firstSequence: number; messages: ProduceMessage[] }>;
  }>;
}

type ProduceRequest = (args: ProduceRequestArgs) => { encode: () => Promise<EncoderLike> };

export interface KafkajsInternals {
  readonly Encoder: EncoderClass;
  readonly crc32C: Crc32C;
  /** kafkajs' own JS CRC32C, the patched module's fallback. */
  readonly crc32CJs: (buffer: Buffer) => number;
  readonly Long: LongLike;
  produceRequest(version: number): ProduceRequest;
  /** src/protocol/request.js: the size-prefixed request as written to the socket. */
  readonly createRequest: (args: {
    correlationId: number;
    clientId: string;
    request: { encode: () => Promise<EncoderLike> };
  }) => Promise<EncoderLike>;
}

/** Loads the internals of the kafkajs installed at `kafkajsDir`. */
export function loadKafkajsInternals(kafkajsDir: string): KafkajsInternals {
  const load = createRequire(path.join(kafkajsDir, 'package.json'));
  const src = (file: string): string => path.join(kafkajsDir, 'src', file);
  return {
    Encoder: load(src('protocol/encoder.js')) as EncoderClass,
    crc32C: load(src('protocol/recordBatch/crc32C/index.js')) as Crc32C,
    crc32CJs: load(src('protocol/recordBatch/crc32C/crc32C.js')) as (buffer: Buffer) => number,
    Long: load(src('utils/long.js')) as LongLike,
    produceRequest: (version) =>
      load(src(`protocol/requests/produce/v${version}/request.js`)) as ProduceRequest,
    createRequest: load(src('protocol/request.js')) as KafkajsInternals['createRequest'],
  };
}
