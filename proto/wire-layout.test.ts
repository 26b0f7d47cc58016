import { readdirSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { EnvelopeCodec, RecordPackCodec, TradeCodec } from './index.ts';
import {
  EnvelopeField,
  EnvelopeTag,
  RecordPackField,
  RecordPackTag,
  TradeField,
  TradeTag,
  tagOf,
  WireType,
} from './wire-layout.ts';

// The descriptor the generated codecs are made from (scripts/gen-proto.mjs reads the same files).
const protoDir = path.join(import.meta.dirname, 'quantforge', 'v1');
const root = protobuf.loadSync(
  readdirSync(protoDir)
    .filter((f) => f.endsWith('.proto'))
    .map((f) => path.join(protoDir, f)),
);
root.resolveAll();

const packedWireTypes: Readonly<Record<string, number | undefined>> = protobuf.types.packed;
const basicWireTypes: Readonly<Record<string, number | undefined>> = protobuf.types.basic;

/** The wire type the descriptor gives a field. */
function wireTypeOf(field: protobuf.Field): number {
  if (field.resolvedType instanceof protobuf.Type) return WireType.delimited;
  if (field.resolvedType instanceof protobuf.Enum) return WireType.varint;
  if (field.repeated && field.packed && packedWireTypes[field.type] !== undefined) return WireType.delimited;
  const basic = basicWireTypes[field.type];
  if (basic === undefined) throw new Error(`no wire type for ${field.fullName} (${field.type})`);
  return basic;
}

/** A value the generated encoder writes (not a proto3 default) for a field of this type. */
function sampleOf(field: protobuf.Field): unknown {
  const one =
    field.type === 'string'
      ? 'x'
      : field.type === 'bytes'
        ? new Uint8Array([1])
        : field.type === 'bool'
          ? true
          : 1;
  return field.repeated ? [one] : one;
}

const layouts: ReadonlyArray<{
  readonly type: string;
  readonly fields: Readonly<Record<string, number>>;
  readonly tags: Readonly<Record<string, number>>;
  readonly codec: { encode(value: object): Uint8Array };
}> = [
  { type: 'quantforge.v1.Envelope', fields: EnvelopeField, tags: EnvelopeTag, codec: EnvelopeCodec },
  { type: 'quantforge.v1.Trade', fields: TradeField, tags: TradeTag, codec: TradeCodec },
  { type: 'quantforge.v1.RecordPack', fields: RecordPackField, tags: RecordPackTag, codec: RecordPackCodec },
];

describe.each(layouts)('wire layout of $type', ({ type, fields, tags, codec }) => {
  const message = root.lookupType(type);

  it('names every field of the descriptor, and no other', () => {
    const names = message.fieldsArray.map((f) => f.name).sort();
    expect(Object.keys(fields).sort()).toEqual(names);
    expect(Object.keys(tags).sort()).toEqual(names);
  });

  it.each(message.fieldsArray.map((f) => [f.name, f] as const))(
    '%s: number, wire type and one-byte tag agree with the descriptor',
    (name, field) => {
      expect(fields[name]).toBe(field.id);
      const tag = tags[name]!;
      expect(tag).toBe(tagOf(field.id, wireTypeOf(field)));
      expect(tag >>> 3).toBe(field.id);
      expect(tag & 7).toBe(wireTypeOf(field));
      // Hand-written paths write a tag as one byte.
      expect(tag).toBeLessThan(0x80);
    },
  );

  it.each(message.fieldsArray.map((f) => [f.name, f] as const))(
    '%s: the generated codec writes the named tag first',
    (name, field) => {
      const bytes = codec.encode({ [name]: sampleOf(field) });
      expect(bytes[0]).toBe(tags[name]);
    },
  );
});
