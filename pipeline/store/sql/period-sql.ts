/** A period's UTC buckets in DuckDB SQL, laid out as the period catalogue (core/periods) lays them out in code. */
import { fixedSpan, type Period } from '../../../core/periods/index.ts';

/** SQL giving the bucket start (BIGINT µs) of the BIGINT µs column `col`. */
export function bucketSql(period: Period, col: string): string {
  const span = fixedSpan(period);
  if (span === undefined) return `epoch_us(date_trunc('month', make_timestamp(${col})))`;
  const { widthUs, offsetUs } = span;
  // Times are after 1970-01-05, so integer division (truncating) equals floor here.
  return offsetUs === 0
    ? `((${col} // ${widthUs}) * ${widthUs})`
    : `(((${col} - ${offsetUs}) // ${widthUs}) * ${widthUs} + ${offsetUs})`;
}

/** SQL giving the exclusive end of the bucket starting at the BIGINT µs expression `openSql`. */
export function bucketEndSql(period: Period, openSql: string): string {
  const span = fixedSpan(period);
  if (span === undefined) return `epoch_us(make_timestamp(${openSql}) + INTERVAL 1 MONTH)`;
  return `(${openSql} + ${span.widthUs})`;
}
