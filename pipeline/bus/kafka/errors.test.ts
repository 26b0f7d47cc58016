import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BusBrokerError, BusConnectionError, BusError } from '../errors.ts';
import { kafkaErrorType, toBusError } from './errors.ts';

const require = createRequire(import.meta.url);
type ErrorClass = new (...args: unknown[]) => Error;
/** kafkajs' real error classes, so the mapping is checked against what kafkajs throws. */
const kafkajsErrors = require('kafkajs/src/errors.js') as Record<string, ErrorClass>;
const {
  KafkaJSProtocolError,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSNonRetriableError,
} = kafkajsErrors as Record<string, ErrorClass>;
const protocolError = (type: string, code: number, retriable: boolean) =>
  new KafkaJSProtocolError!({ type, code, retriable, message: `broker says ${type}` });

describe('toBusError', () => {
  it('keeps "the broker said no" with its Kafka type, code and retriability', () => {
    const error = toBusError(protocolError('TOPIC_AUTHORIZATION_FAILED', 29, false), 'produce', 'norm.trade');
    expect(error).toBeInstanceOf(BusBrokerError);
    expect(error).toMatchObject({
      type: 'TOPIC_AUTHORIZATION_FAILED',
      code: 29,
      retriable: false,
      topic: 'norm.trade',
    });
    expect(error.message).toContain('bus produce (norm.trade)');
    expect(toBusError(protocolError('NOT_LEADER_FOR_PARTITION', 6, true), 'produce').retriable).toBe(true);
  });

  it('maps "could not reach" to a retriable BusConnectionError, also when wrapped by exhausted retries', () => {
    const refused = new KafkaJSConnectionError!('Connection error: connect ECONNREFUSED 127.0.0.1:19092', {
      broker: '127.0.0.1:19092',
    });
    expect(toBusError(refused, 'subscribe')).toBeInstanceOf(BusConnectionError);
    const exhausted = new KafkaJSNumberOfRetriesExceeded!(refused, { retryCount: 8, retryTime: 5000 });
    const mapped = toBusError(exhausted, 'produce');
    expect(mapped).toBeInstanceOf(BusConnectionError);
    expect(mapped.retriable).toBe(true);
    expect(mapped.cause).toBe(exhausted);
  });

  it('finds the protocol type behind exhausted retries and passes other errors through as BusError', () => {
    const inner = protocolError('CONCURRENT_TRANSACTIONS', 51, true);
    expect(
      kafkaErrorType(new KafkaJSNumberOfRetriesExceeded!(inner, { retryCount: 3, retryTime: 100 })),
    ).toBe('CONCURRENT_TRANSACTIONS');
    const other = toBusError(
      new KafkaJSNonRetriableError!('Cannot continue to use transaction once ended'),
      'transform',
    );
    expect(other).toBeInstanceOf(BusError);
    expect(other).not.toBeInstanceOf(BusBrokerError);
    expect(other.retriable).toBe(false);
    const same = new BusError('close', 'x');
    expect(toBusError(same, 'produce')).toBe(same);
  });
});
