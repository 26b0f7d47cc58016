/** Coverage of bar series (missing periods) and catalog-only summaries of every series. */
import { InvalidInputError } from '../../../core/errors.ts';
import { bucketStartUs, fixedSpan, parsePeriod } from '../../../core/periods/index.ts';
import { barsDataset } from '../layout.ts';
import { barSourceSql } from '../sql/bar-sql.ts';
import type { BarCoverage, SeriesRef, SeriesSummary } from '../types.ts';
import { checkMaxGaps, checkTime, filePaths, type ReaderContext, seriesFiles, withRetry } from './context.ts';
import { filesInTimeRange, hasOverlap } from './file-select.ts';

/**
 * Which bars of a stored period exist in [fromUs, toUs) (aligned to the period) and the holes
 * between them. Default period 1m: a missing minute is one with no stored 1m bar.
 */
export function barCoverage(
  ctx: ReaderContext,
  q: SeriesRef & { fromUs: number; toUs: number; period?: string; maxGaps?: number },
): Promise<BarCoverage> {
  const period = parsePeriod(q.period ?? '1m');
  const span = fixedSpan(period);
  if (span === undefined)
    throw new InvalidInputError('period', `coverage needs a fixed-width period, not ${period}`);
  const width = span.widthUs;
  const from = bucketStartUs(period, checkTime('fromUs', q.fromUs, 0));
  const to = bucketStartUs(period, checkTime('toUs', q.toUs, 0) + width - 1);
  if (to <= from) throw new InvalidInputError('toUs', `${q.toUs} is not after fromUs ${q.fromUs}`);
  const maxGaps = checkMaxGaps(q.maxGaps);
  const expected = (to - from) / width;
  return withRetry(async () => {
    const files = filesInTimeRange(seriesFiles(ctx, barsDataset(period), q.venue, q.symbol), from, to);
    let present = 0;
    let first: number | null = null;
    let last: number | null = null;
    const gaps: { fromUs: number; toUs: number; missing: number }[] = [];
    if (files.length > 0) {
      const base = `WITH src AS (${barSourceSql(hasOverlap(files))}),
        g AS (SELECT open_time_us AS t, lag(open_time_us) OVER (ORDER BY open_time_us) AS p FROM src)`;
      const params = { files: filePaths(ctx, files), from, to };
      const s = await ctx.runner.run(
        `${base} SELECT count(*)::DOUBLE, min(t)::DOUBLE, max(t)::DOUBLE FROM g`,
        params,
      );
      present = s[0]![0] as number;
      first = (s[1]![0] as number | null) ?? null;
      last = (s[2]![0] as number | null) ?? null;
      if (first !== null && first > from)
        gaps.push({ fromUs: from, toUs: first, missing: (first - from) / width });
      const h = await ctx.runner.run(
        `${base} SELECT (p + ${width})::DOUBLE, t::DOUBLE FROM g WHERE t - p > ${width} ORDER BY t LIMIT $limit`,
        { ...params, limit: maxGaps },
      );
      for (let i = 0; i < (h[0]?.length ?? 0); i++) {
        const a = h[0]![i] as number;
        const b = h[1]![i] as number;
        gaps.push({ fromUs: a, toUs: b, missing: (b - a) / width });
      }
    }
    const tail = last === null ? from : last + width;
    if (tail < to) gaps.push({ fromUs: tail, toUs: to, missing: (to - tail) / width });
    return {
      period,
      fromUs: from,
      toUs: to,
      expected,
      present,
      missing: expected - present,
      firstOpenUs: first,
      lastOpenUs: last,
      gaps: gaps.slice(0, maxGaps),
    };
  });
}

/** Every series in the catalog (optionally one dataset / venue / symbol), from manifests only. */
export function describeSeries(
  ctx: ReaderContext,
  filter: { dataset?: string; venue?: string; symbol?: string } = {},
): SeriesSummary[] {
  const snap = ctx.catalog.current();
  const out: SeriesSummary[] = [];
  for (const key of snap.series.keys()) {
    const [dataset = '', venue = '', symbol = ''] = key.split('|');
    if (filter.dataset !== undefined && filter.dataset !== dataset) continue;
    if (filter.venue !== undefined && filter.venue !== venue) continue;
    if (filter.symbol !== undefined && filter.symbol !== symbol) continue;
    const files = ctx.catalog.files(snap, key);
    let rows = 0;
    let bytes = 0;
    let minTimeUs = Number.POSITIVE_INFINITY;
    let maxTimeUs = Number.NEGATIVE_INFINITY;
    let minSeq: number | null = null;
    let maxSeq: number | null = null;
    const dates = new Set<string>();
    for (const f of files) {
      rows += f.rows;
      bytes += f.bytes;
      minTimeUs = Math.min(minTimeUs, f.minTimeUs);
      maxTimeUs = Math.max(maxTimeUs, f.maxTimeUs);
      if (f.minSeq !== null) minSeq = minSeq === null ? f.minSeq : Math.min(minSeq, f.minSeq);
      if (f.maxSeq !== null) maxSeq = maxSeq === null ? f.maxSeq : Math.max(maxSeq, f.maxSeq);
      if (f.date !== null) dates.add(f.date);
    }
    out.push({
      dataset,
      venue,
      symbol,
      files: files.length,
      rows,
      bytes,
      minTimeUs,
      maxTimeUs,
      minSeq,
      maxSeq,
      dates: [...dates].sort(),
    });
  }
  return out.sort((a, b) =>
    `${a.dataset}|${a.venue}|${a.symbol}`.localeCompare(`${b.dataset}|${b.venue}|${b.symbol}`),
  );
}
