import { describe, expect, inject, it } from 'vitest';
import { kafkaBrokers, parseBrokerList } from './kafka.ts';

describe('kafka global setup', () => {
  it('exports KAFKA_BROKERS to forked test workers and provides the same brokers', () => {
    expect(process.env.KAFKA_BROKERS).toBeTruthy();
    expect(parseBrokerList(process.env.KAFKA_BROKERS ?? '').join(',')).toBe(inject('kafkaBrokers'));
    expect(kafkaBrokers()).toEqual(parseBrokerList(inject('kafkaBrokers')));
  });
});

describe('parseBrokerList', () => {
  it('accepts host:port lists and trims blanks', () => {
    expect(parseBrokerList(' 127.0.0.1:19092, kafka-0.svc:9092 ,')).toEqual([
      '127.0.0.1:19092',
      'kafka-0.svc:9092',
    ]);
  });

  it('rejects entries without a valid port, naming the entry', () => {
    expect(() => parseBrokerList('localhost')).toThrow(/"localhost" is not host:port/);
    expect(() => parseBrokerList('h:70000')).toThrow(/"h:70000"/);
    expect(() => parseBrokerList(' , ')).toThrow(/empty/);
  });
});
