/**
 * `/chart SYMBOL [PERIOD]`: a candlestick PNG over stored bars, rendered by the charting
 * server's renderer, sent as a photo with an inline keyboard: a row of periods, a row of other
 * symbols (the user's recent ones, then other stored ones) and a row toggling SMA(20) on the
 * price pane and RSI(14) in a pane below. A press re-renders and edits the photo in place
 * (`editMessageMedia`); the button's data (≤ 64 bytes) holds the whole view. No model call.
 */
import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { buildChartSpec } from '../../../mcp-servers/charting/index.ts';
import { renderChartPng } from '../../../mcp-servers/charting/render/index.ts';
import {
  checkPeriod,
  errorMessage,
  isoOfUs,
  knownSeries,
  loadBars,
  type SeriesId,
} from '../../../mcp-servers/common/index.ts';
import { prepareIndicator } from '../../../mcp-servers/indicators/index.ts';
import type { BotContext, TelegramBotDeps, TelegramBotOptions } from '../deps.ts';
import { seriesOf } from './symbol-args.ts';

/** Telegram's limit on `callback_data`, in bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;
const PREFIX = 'chart';
/** Symbols offered by the keyboard's symbol row. */
const SYMBOL_BUTTONS = 4;

/** The studies a chart can toggle: a flag letter in the callback data, its label and request. */
const STUDIES = [
  { flag: 's', label: 'SMA20', name: 'sma', params: { period: 20 } },
  { flag: 'r', label: 'RSI14', name: 'rsi', params: { period: 14 } },
] as const;
type StudyFlag = (typeof STUDIES)[number]['flag'];

/** What a chart photo shows; its buttons carry it whole, so a press needs no server state. */
export interface ChartView {
  readonly series: SeriesId;
  readonly period: string;
  /** Study flags, in {@link STUDIES} order. */
  readonly studies: readonly StudyFlag[];
}

/** Callback data of a chart button: `chart|BINANCE:BTCUSDT|4h|sr` (the flags part may be empty). */
export function chartCallbackData(view: ChartView): string {
  return `${PREFIX}|${view.series.venue}:${view.series.symbol}|${view.period}|${view.studies.join('')}`;
}

/** The view of a button's data; buttons of older photos (without flags) still parse. */
function parseCallbackData(data: string): ChartView | null {
  const m = /^chart\|([A-Z0-9_.-]+):([A-Z0-9_.-]+)\|(\w+)(?:\|([a-z]*))?$/.exec(data);
  if (m === null) return null;
  const flags = m[4] ?? '';
  if ([...flags].some((f) => !STUDIES.some((s) => s.flag === f))) return null;
  return {
    series: { venue: m[1]!, symbol: m[2]! },
    period: m[3]!,
    studies: STUDIES.filter((s) => flags.includes(s.flag)).map((s) => s.flag),
  };
}

const sameSeries = (a: SeriesId, b: SeriesId) => a.venue === b.venue && a.symbol === b.symbol;

/** Adds a button unless its data would not fit Telegram's 64 bytes. */
function addButton(keyboard: InlineKeyboard, text: string, view: ChartView): void {
  const data = chartCallbackData(view);
  if (Buffer.byteLength(data) <= MAX_CALLBACK_DATA_BYTES) keyboard.text(text, data);
}

/**
 * The keyboard of a chart: a row of periods, a row of other symbols (`symbols`, the user's
 * recent ones first) and a row toggling each study. Every button keeps the rest of the view.
 */
function keyboardOf(
  view: ChartView,
  periods: readonly string[],
  symbols: readonly SeriesId[],
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const period of periods)
    addButton(keyboard, period === view.period ? `• ${period}` : period, { ...view, period });
  const others = symbols.filter((s) => !sameSeries(s, view.series)).slice(0, SYMBOL_BUTTONS);
  if (others.length > 0) {
    keyboard.row();
    for (const series of others) addButton(keyboard, series.symbol, { ...view, series });
  }
  keyboard.row();
  for (const study of STUDIES) {
    const on = view.studies.includes(study.flag);
    const studies = STUDIES.filter((s) => (s.flag === study.flag ? !on : view.studies.includes(s.flag))).map(
      (s) => s.flag,
    );
    addButton(keyboard, on ? `✓ ${study.label}` : study.label, { ...view, studies });
  }
  return keyboard;
}

interface RenderedPhoto {
  readonly png: Uint8Array;
  readonly caption: string;
}

async function renderPhoto(
  deps: TelegramBotDeps,
  options: TelegramBotOptions,
  view: ChartView,
): Promise<RenderedPhoto> {
  const { series, period } = view;
  const indicators = STUDIES.filter((s) => view.studies.includes(s.flag)).map((s) =>
    prepareIndicator(s.name, s.params),
  );
  const warmup = Math.max(0, ...indicators.map((r) => r.lookback));
  const loaded = await loadBars(deps.market, { series, period, limit: options.chartBars, warmup });
  const shown = loaded.bars.slice(loaded.warmup);
  const first = shown[0];
  const last = shown[shown.length - 1];
  if (first === undefined || last === undefined)
    throw new Error(`no ${period} bars stored for ${series.venue}:${series.symbol}`);
  const spec = buildChartSpec({
    title: `${series.venue}:${series.symbol} ${period}`,
    bars: loaded.bars,
    warmup: loaded.warmup,
    indicators,
    drawings: [],
    theme: 'dark',
    width: 1000,
    height: 600,
    showVolume: true,
  });
  const { png } = await renderChartPng(spec);
  const studies = indicators.map((r) => r.label).join(', ');
  const caption = `${series.venue}:${series.symbol} ${period}${studies === '' ? '' : ` with ${studies}`}: last close ${last.close} (bar of ${isoOfUs(last.openTimeUs)}), ${shown.length} bars from ${isoOfUs(first.openTimeUs)}`;
  return { png, caption };
}

/**
 * The symbols a user's keyboard offers: the ones they charted last (most recent first), then
 * the other stored series of the same venue. Recent ones are kept per Telegram user, in memory.
 */
function symbolChoices(market: TelegramBotDeps['market']) {
  const recent = new Map<number, SeriesId[]>();
  return {
    /** Notes that `userId` charted `series`. */
    saw(userId: number, series: SeriesId): void {
      const mine = (recent.get(userId) ?? []).filter((s) => !sameSeries(s, series));
      recent.set(userId, [series, ...mine].slice(0, SYMBOL_BUTTONS + 1));
    },
    /** Up to {@link SYMBOL_BUTTONS} series other than `current`, recent first. */
    async of(userId: number, current: SeriesId): Promise<SeriesId[]> {
      const stored = (await knownSeries(market))
        .filter((s) => s.venue === current.venue)
        .map((s) => ({ venue: s.venue, symbol: s.symbol }))
        .sort((a, b) => a.symbol.localeCompare(b.symbol));
      const out: SeriesId[] = [];
      for (const s of [...(recent.get(userId) ?? []), ...stored]) {
        if (sameSeries(s, current) || out.some((o) => sameSeries(o, s))) continue;
        out.push(s);
      }
      return out.slice(0, SYMBOL_BUTTONS);
    },
  };
}

/** The `/chart` command and its buttons (period, symbol, studies). */
export function chartComposer(deps: TelegramBotDeps, options: TelegramBotOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const symbols = symbolChoices(deps.market);

  async function keyboardFor(userId: number, view: ChartView): Promise<InlineKeyboard> {
    symbols.saw(userId, view.series);
    return keyboardOf(view, options.chartPeriods, await symbols.of(userId, view.series));
  }

  composer.command('chart', async (ctx) => {
    const [typed, periodArg = '1h'] = ctx.match.split(/\s+/).filter((s) => s !== '');
    if (typed === undefined) return ctx.reply('Which symbol? For example: /chart BTCUSDT 1h');
    const resolved = await seriesOf(deps.market, typed);
    if (!resolved.ok) return ctx.reply(resolved.message);
    const view: ChartView = { series: resolved.series, period: periodArg, studies: [] };
    let photo: RenderedPhoto;
    try {
      checkPeriod(periodArg);
      await ctx.replyWithChatAction('upload_photo');
      photo = await renderPhoto(deps, options, view);
    } catch (error) {
      return ctx.reply(errorMessage(error));
    }
    return ctx.replyWithPhoto(new InputFile(photo.png, 'chart.png'), {
      caption: photo.caption,
      reply_markup: await keyboardFor(ctx.from?.id ?? ctx.chat.id, view),
    });
  });

  composer.callbackQuery(/^chart\|/, async (ctx) => {
    const wanted = parseCallbackData(ctx.callbackQuery.data);
    if (wanted === null) return ctx.answerCallbackQuery({ text: 'This button is outdated.' });
    let photo: RenderedPhoto;
    try {
      photo = await renderPhoto(deps, options, wanted);
    } catch (error) {
      return ctx.answerCallbackQuery({ text: errorMessage(error).slice(0, 200) });
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageMedia(
      { type: 'photo', media: new InputFile(photo.png, 'chart.png'), caption: photo.caption },
      { reply_markup: await keyboardFor(ctx.from.id, wanted) },
    );
  });
  return composer;
}
