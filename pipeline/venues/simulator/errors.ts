import { QuantForgeError } from '../../../core/errors.ts';

/**
 * A request the simulated venue refuses, carried as Binance refuses it: an HTTP status and
 * a `{"code","msg"}` body with Binance's own codes (e.g. -1121 "Invalid symbol.").
 */
export class BinanceApiRejection extends QuantForgeError {
  override readonly name: string = 'BinanceApiRejection';
  readonly status: number;
  readonly code: number;

  constructor(status: number, code: number, msg: string) {
    super(msg, { retriable: status === 429 || status === 418 || status >= 500 });
    this.status = status;
    this.code = code;
  }

  /** The JSON body Binance sends for this error. */
  toBody(): string {
    return JSON.stringify({ code: this.code, msg: this.message });
  }
}

/** Binance's standard rejections, by the code they carry. */
export const rejections = {
  invalidSymbol: () => new BinanceApiRejection(400, -1121, 'Invalid symbol.'),
  invalidInterval: () => new BinanceApiRejection(400, -1120, 'Invalid interval.'),
  mandatory: (param: string) =>
    new BinanceApiRejection(
      400,
      -1102,
      `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`,
    ),
  illegalChars: (param: string) =>
    new BinanceApiRejection(
      400,
      -1100,
      `Illegal characters found in parameter '${param}'; legal range is '^[0-9]{1,20}$'.`,
    ),
  invalidValue: (param: string) =>
    new BinanceApiRejection(400, -1130, `Data sent for parameter '${param}' is not valid.`),
  aggWindowTooLong: () =>
    new BinanceApiRejection(400, -1127, 'More than 1 hours between startTime and endTime.'),
  startAfterEnd: () => new BinanceApiRejection(400, -1023, 'Start time is greater than end time.'),
  notFound: () => new BinanceApiRejection(404, -1000, 'Unknown endpoint.'),
  tooMuchWeight: (limit: number) =>
    new BinanceApiRejection(
      429,
      -1003,
      `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
    ),
  banned: (until: number) =>
    new BinanceApiRejection(
      418,
      -1003,
      `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`,
    ),
} as const;
