import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { recordedData } from '../../../test/support/index.ts';
import { detectRecordingFormat, readAnyWsRecordingBatches } from './any-recording.ts';
import { readCryptofeedCapture, secondsToNs } from './cryptofeed.ts';
import { readRecordingAsRawFrames } from './raw-frames.ts';
import { SPOT_WS_FILES, USDM_WS_FILE } from './testing/index.ts';
import { type RecordedMessage, readWsRecording, streamPayload } from './ws-recording.ts';

interface TradeData {
  e: string;
  E: number;
  t: number;
  T: number;
}

async function collect(paths: string | string[]): Promise<RecordedMessage[]> {
  const out: RecordedMessage[] = [];
  for await (const m of readWsRecording(paths)) out.push(m);
  return out;
}

describe('readWsRecording on the hftbacktest BTCUSDT recordings', () => {
  it('reads every spot line, 19,904 contiguous trades, and flags the one REST snapshot', async () => {
    const all = await collect(SPOT_WS_FILES);
    expect(all.length).toBe(41249 + 58325);
    const snapshots = all.filter((m) => m.kind === 'snapshot');
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.stream).toBeNull();
    expect(all.indexOf(snapshots[0]!)).toBe(7);
    expect(JSON.parse(snapshots[0]!.bytes.toString()).lastUpdateId).toBe(50093239218);
    expect(all.filter((m) => m.kind === 'other')).toHaveLength(0);

    const trades = all.filter((m) => m.stream === 'btcusdt@trade');
    expect(trades).toHaveLength(19904);
    const ids = trades.map((m) => (JSON.parse(m.bytes.toString()).data as TradeData).t);
    expect(ids[0]).toBe(3735683259);
    expect(ids.at(-1)).toBe(3735703162);
    expect(ids.every((id, i) => i === 0 || id === ids[i - 1]! + 1)).toBe(true);
    const first = JSON.parse(trades[0]!.bytes.toString()).data as TradeData;
    expect(trades[0]!.eventMs).toBe(first.E);
    expect(trades[0]!.recvNs).toBe(1723161254087896568n);

    const counts = new Map<string, number>();
    for (const m of all) counts.set(String(m.stream), (counts.get(String(m.stream)) ?? 0) + 1);
    expect(counts.get('btcusdt@bookTicker')).toBe(28040 + 45134);
    expect(counts.get('btcusdt@depth@100ms')).toBe(3451 + 3044);
    // spot bookTicker has neither E nor T: no event time rather than a wrong one.
    expect(all.find((m) => m.stream === 'btcusdt@bookTicker')!.eventMs).toBeNull();
  });

  it('keeps the exact bytes of every line after the receive time', async () => {
    const text = gunzipSync(readFileSync(SPOT_WS_FILES[0]!)).toString('latin1').split('\n');
    const all = await collect(SPOT_WS_FILES[0]!);
    for (const i of [0, 3, 7, 1000, all.length - 1]) {
      const line = text[i]!;
      expect(all[i]!.bytes.toString('latin1')).toBe(line.slice(line.indexOf(' ') + 1));
      expect(all[i]!.recvNs).toBe(BigInt(line.slice(0, line.indexOf(' '))));
    }
  });

  it('gives the raw-stream payload (the data object) of a combined message', async () => {
    const all = await collect(SPOT_WS_FILES[0]!);
    const trade = all.find((m) => m.stream === 'btcusdt@trade')!;
    const payload = streamPayload(trade).toString();
    expect(payload.startsWith('{"e":"trade"')).toBe(true);
    expect(JSON.parse(payload)).toEqual(JSON.parse(trade.bytes.toString()).data);
  });

  it('reads the USD-M recording: 21,313 trades, futures shapes, one snapshot', async () => {
    const all = await collect(USDM_WS_FILE);
    expect(all).toHaveLength(93954);
    expect(all.filter((m) => m.kind === 'snapshot')).toHaveLength(1);
    const trades = all.filter((m) => m.stream === 'btcusdt@trade');
    expect(trades).toHaveLength(21313);
    const last = JSON.parse(trades.at(-1)!.bytes.toString()).data as TradeData & { X: string };
    expect(last.t).toBe(5266605247);
    expect(last.X).toBe('MARKET');
    // futures bookTicker carries E, so every stream message has an event time.
    expect(all.filter((m) => m.kind === 'stream' && m.eventMs === null)).toHaveLength(0);
  });
});

describe('readCryptofeedCapture', () => {
  // PROVENANCE says 266 rows, but its per-type counts (177+84+2+2) and the file (267 lines,
  // one of them the URL header, one blank) give 265 messages.
  it('skips the URL header and reads all 265 messages of the spot capture', async () => {
    const out: RecordedMessage[] = [];
    for await (const m of readCryptofeedCapture(
      recordedData('ws-messages', 'cryptofeed-BINANCE.ws.1.0.txt'),
    )) {
      out.push(m);
    }
    expect(out).toHaveLength(265);
    expect(out.filter((m) => m.stream?.endsWith('@bookTicker'))).toHaveLength(84);
    expect(out.every((m) => m.kind === 'stream')).toBe(true);
    expect(out[0]!.stream).toBe('nknusdt@depth@100ms');
    expect(out[0]!.recvNs).toBe(1633998512063356900n);
    expect(out[0]!.eventMs).toBe(1633998512068);
    expect(out.filter((m) => m.stream?.endsWith('@aggTrade'))).toHaveLength(2);
  });

  it('converts float seconds to exact ns', () => {
    expect(secondsToNs('1633998512.0633569')).toBe(1633998512063356900n);
    expect(secondsToNs('12')).toBe(12_000_000_000n);
  });
});

describe('readAnyWsRecordingBatches', () => {
  it('reads hftbacktest and cryptofeed captures one after the other', async () => {
    const capture = recordedData('ws-messages', 'cryptofeed-BINANCE_FUTURES.ws.1.0.txt');
    expect(await detectRecordingFormat(capture)).toBe('cryptofeed');
    expect(await detectRecordingFormat(USDM_WS_FILE)).toBe('hftbacktest');
    let hft = 0;
    let cf = 0;
    for await (const batch of readAnyWsRecordingBatches([USDM_WS_FILE, capture])) {
      for (const m of batch) {
        if (m.recvNs < 1_700_000_000_000_000_000n) cf++;
        else hft++;
      }
    }
    expect(hft).toBe(93954);
    expect(cf).toBe(1535);
  });
});

describe('readRecordingAsRawFrames', () => {
  it('gives adapter frames, the snapshot tagged with the symbol of its stream', async () => {
    const frames = [];
    for await (const batch of readRecordingAsRawFrames([SPOT_WS_FILES[0]!])) frames.push(...batch);
    expect(frames).toHaveLength(41249);
    expect(frames[7]!.symbol).toBe('BTCUSDT');
    expect(Buffer.from(frames[7]!.data).toString('latin1', 0, 15)).toBe('{"lastUpdateId"');
    expect(frames[0]!.symbol).toBeUndefined();
    expect(frames[0]!.receivedAtUs).toBe(1723161253937085);
  });
});
