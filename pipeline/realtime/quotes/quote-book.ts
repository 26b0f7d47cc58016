import { formatDecimal, SCALE, tryParseDecimal } from '../../../core/decimal/index.ts';

/** The last known price of one market. Prices are scaled bigints (core/decimal, scale 18). */
interface MarketPrice {
  readonly venue: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  last: bigint;
  lastTimeUs: number;
  bid: bigint;
  ask: bigint;
  bookTimeUs: number;
}

/** One leg of a route: a market used forwards (base→quote) or inverted. */
interface Leg {
  readonly market: MarketPrice;
  readonly inverted: boolean;
}

/** A price of `base` in `quote`, with the markets it came through and its age. */
export interface QuoteResult {
  readonly base: string;
  readonly quote: string;
  /** Exact for a direct pair; 12 significant digits through an inversion or a cross. */
  readonly price: string;
  /** Venue symbols used, in order, e.g. ["BTCUSDT", "EURUSDT"]. */
  readonly route: readonly string[];
  readonly venue: string;
  /** Time of the oldest input, epoch microseconds. */
  readonly asOfUs: number;
  /** Best bid/ask, for a direct pair with a known book. */
  readonly bid?: string;
  readonly ask?: string;
}

/** Intermediates tried for a cross, most liquid first. */
const DEFAULT_BRIDGES = ['USDT', 'USDC', 'FDUSD', 'USD', 'BTC', 'ETH', 'BNB', 'EUR'];
const ONE = 10n ** BigInt(SCALE);
const SIGNIFICANT = 12;

/** a / b at scale 18, truncated. */
function divide(a: bigint, b: bigint): bigint {
  return (a * ONE) / b;
}

/** Rounds a scale-18 value to `digits` significant digits (half away from zero). */
function roundSignificant(value: bigint, digits: number): bigint {
  const abs = value < 0n ? -value : value;
  const length = abs.toString().length;
  if (length <= digits) return value;
  const drop = 10n ** BigInt(length - digits);
  const rounded = ((abs + drop / 2n) / drop) * drop;
  return value < 0n ? -rounded : rounded;
}

/**
 * The current price of any asset in any quote currency, from the last trades (and book tops)
 * of the markets it has seen: direct (BTCUSDT for BTC in USDT), inverted (BTCUSDT for USDT in
 * BTC), or a cross through one bridge asset (BTCUSDT and EURUSDT for BTC in EUR). Among the
 * routes available, the freshest wins (the one whose oldest input is newest).
 *
 * Pure and synchronous: the quote service feeds it from the bus; tests feed it directly.
 */
export class QuoteBook {
  readonly #markets = new Map<string, MarketPrice>();
  /** asset → markets where it is base or quote. */
  readonly #byAsset = new Map<string, MarketPrice[]>();
  readonly #bridges: readonly string[];

  constructor(options: { bridges?: readonly string[] } = {}) {
    this.#bridges = options.bridges ?? DEFAULT_BRIDGES;
  }

  /** Records a trade price. Older updates than the one held are ignored. */
  updateTrade(
    m: { venue: string; symbol: string; base: string; quote: string },
    price: string,
    timeUs: number,
  ): void {
    const value = tryParseDecimal(price);
    if (value === undefined || value <= 0n) return;
    const market = this.#market(m);
    if (timeUs < market.lastTimeUs) return;
    market.last = value;
    market.lastTimeUs = timeUs;
  }

  /** Records the best bid and ask. */
  updateBook(
    m: { venue: string; symbol: string; base: string; quote: string },
    bid: string,
    ask: string,
    timeUs: number,
  ): void {
    const b = tryParseDecimal(bid);
    const a = tryParseDecimal(ask);
    if (b === undefined || a === undefined) return;
    const market = this.#market(m);
    if (timeUs < market.bookTimeUs) return;
    market.bid = b;
    market.ask = a;
    market.bookTimeUs = timeUs;
  }

  /** Assets with a known price. */
  assets(): string[] {
    return [...this.#byAsset.keys()].sort();
  }

  /** The price of `base` in `quote`, or undefined when no route joins them. */
  quote(base: string, quote: string): QuoteResult | undefined {
    const b = base.toUpperCase();
    const q = quote.toUpperCase();
    if (b === q) return { base: b, quote: q, price: '1', route: [], venue: '', asOfUs: 0 };
    let best: { legs: Leg[]; asOf: number } | undefined;
    const consider = (legs: Leg[]): void => {
      const asOf = Math.min(...legs.map((l) => l.market.lastTimeUs));
      if (!best || asOf > best.asOf) best = { legs, asOf };
    };
    const direct = this.#leg(b, q);
    if (direct) consider([direct]);
    // A stale direct market (an illiquid pair) loses to a fresher cross; ties keep fewer legs.
    for (const bridge of this.#bridges) {
      if (bridge === b || bridge === q) continue;
      const first = this.#leg(b, bridge);
      const second = first && this.#leg(bridge, q);
      if (first && second) consider([first, second]);
    }
    if (!best) return undefined;
    return this.#result(b, q, best.legs, best.asOf);
  }

  #result(base: string, quote: string, legs: readonly Leg[], asOfUs: number): QuoteResult {
    let price = ONE;
    for (const { market, inverted } of legs) {
      price = inverted ? divide(price, market.last) : (price * market.last) / ONE;
    }
    const exact = legs.length === 1 && legs[0]?.inverted === false;
    const only = legs[0]?.market;
    const book =
      exact && only && only.bookTimeUs > 0
        ? { bid: formatDecimal(only.bid), ask: formatDecimal(only.ask) }
        : {};
    return {
      base,
      quote,
      price: formatDecimal(exact ? price : roundSignificant(price, SIGNIFICANT)),
      route: legs.map((l) => l.market.symbol),
      venue: [...new Set(legs.map((l) => l.market.venue))].join('+'),
      asOfUs,
      ...book,
    };
  }

  /** A market joining `from` to `to`, forwards or inverted, with a known trade price. */
  #leg(from: string, to: string): Leg | undefined {
    let found: Leg | undefined;
    for (const market of this.#byAsset.get(from) ?? []) {
      if (market.lastTimeUs === 0) continue;
      const leg =
        market.base === from && market.quote === to
          ? { market, inverted: false }
          : market.base === to && market.quote === from
            ? { market, inverted: true }
            : undefined;
      if (leg && (!found || leg.market.lastTimeUs > found.market.lastTimeUs)) found = leg;
    }
    return found;
  }

  #market(m: { venue: string; symbol: string; base: string; quote: string }): MarketPrice {
    const key = `${m.venue}:${m.symbol}`;
    let market = this.#markets.get(key);
    if (!market) {
      market = {
        venue: m.venue,
        symbol: m.symbol,
        base: m.base.toUpperCase(),
        quote: m.quote.toUpperCase(),
        last: 0n,
        lastTimeUs: 0,
        bid: 0n,
        ask: 0n,
        bookTimeUs: 0,
      };
      this.#markets.set(key, market);
      for (const asset of [market.base, market.quote]) {
        const list = this.#byAsset.get(asset) ?? [];
        list.push(market);
        this.#byAsset.set(asset, list);
      }
    }
    return market;
  }
}
