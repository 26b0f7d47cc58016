/**
 * `/chart SYMBOL [PERIOD]`: a candlestick PNG over stored bars, rendered by the charting
 * server's renderer, sent as a photo with an inline keyboard of periods. Pressing a period
 * re-renders and edits the photo in place (`editMessageMedia`). No model call.
 */
import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { buildChartSpec } from '../../../mcp-servers/charting/index.ts';
import { renderChartPng } from '../../../mcp-servers/charting/render/index.ts';
import {
  checkPeriod,
  errorMessage,
  isoOfUs,
  loadBars,
  type SeriesId,
} from '../../../mcp-servers/common/index.ts';
import type { BotContext, TelegramBotDeps, TelegramBotOptions } from '../deps.ts';
import { seriesOf } from './symbol-args.ts';

/** Telegram's limit on `callback_data`, in bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;
const PREFIX = 'chart';

/** Callback data of a chart button: `chart|BINANCE:BTCUSDT|4h`. */
export function chartCallbackData(series: SeriesId, period: string): string {
  return `${PREFIX}|${series.venue}:${series.symbol}|${period}`;
}

function parseCallbackData(data: string): { series: SeriesId; period: string } | null {
  const m = /^chart\|([A-Z0-9_.-]+):([A-Z0-9_.-]+)\|(\w+)$/.exec(data);
  if (m === null) return null;
  return { series: { venue: m[1]!, symbol: m[2]! }, period: m[3]! };
}

/** The period row; buttons whose data would not fit 64 bytes are left out. */
function keyboardOf(series: SeriesId, current: string, periods: readonly string[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const period of periods) {
    const data = chartCallbackData(series, period);
    if (Buffer.byteLength(data) > MAX_CALLBACK_DATA_BYTES) continue;
    keyboard.text(period === current ? `• ${period}` : period, data);
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
  series: SeriesId,
  period: string,
): Promise<RenderedPhoto> {
  const loaded = await loadBars(deps.market, { series, period, limit: options.chartBars });
  const shown = loaded.bars.slice(loaded.warmup);
  const first = shown[0];
  const last = shown[shown.length - 1];
  if (first === undefined || last === undefined)
    throw new Error(`no ${period} bars stored for ${series.venue}:${series.symbol}`);
  const spec = buildChartSpec({
    title: `${series.venue}:${series.symbol} ${period}`,
    bars: loaded.bars,
    warmup: loaded.warmup,
    indicators: [],
    drawings: [],
    theme: 'dark',
    width: 1000,
    height: 600,
    showVolume: true,
  });
  const { png } = await renderChartPng(spec);
  const caption = `${series.venue}:${series.symbol} ${period}: last close ${last.close} (bar of ${isoOfUs(last.openTimeUs)}), ${shown.length} bars from ${isoOfUs(first.openTimeUs)}`;
  return { png, caption };
}

/** The `/chart` command and its period buttons. */
export function chartComposer(deps: TelegramBotDeps, options: TelegramBotOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('chart', async (ctx) => {
    const [typed, periodArg = '1h'] = ctx.match.split(/\s+/).filter((s) => s !== '');
    if (typed === undefined) return ctx.reply('Which symbol? For example: /chart BTCUSDT 1h');
    const resolved = await seriesOf(deps.market, typed);
    if (!resolved.ok) return ctx.reply(resolved.message);
    let photo: RenderedPhoto;
    try {
      checkPeriod(periodArg);
      await ctx.replyWithChatAction('upload_photo');
      photo = await renderPhoto(deps, options, resolved.series, periodArg);
    } catch (error) {
      return ctx.reply(errorMessage(error));
    }
    return ctx.replyWithPhoto(new InputFile(photo.png, 'chart.png'), {
      caption: photo.caption,
      reply_markup: keyboardOf(resolved.series, periodArg, options.chartPeriods),
    });
  });

  composer.callbackQuery(/^chart\|/, async (ctx) => {
    const wanted = parseCallbackData(ctx.callbackQuery.data);
    if (wanted === null) return ctx.answerCallbackQuery({ text: 'This button is outdated.' });
    let photo: RenderedPhoto;
    try {
      photo = await renderPhoto(deps, options, wanted.series, wanted.period);
    } catch (error) {
      return ctx.answerCallbackQuery({ text: errorMessage(error).slice(0, 200) });
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageMedia(
      { type: 'photo', media: new InputFile(photo.png, 'chart.png'), caption: photo.caption },
      { reply_markup: keyboardOf(wanted.series, wanted.period, options.chartPeriods) },
    );
  });
  return composer;
}
