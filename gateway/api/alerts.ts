/**
 * The caller's alert rules: list, create, delete. Creation is `create_alert`'s: the same input
 * schema and the same function (mcp-servers/market-data), so a rule made on the page is the rule
 * the agent or Telegram would make (market-time creation, drawing_id, the licence's limit). The
 * identity alone names the user; nothing in the URL or body can reach another user's rules.
 */
import { type Context, Hono } from 'hono';
import { InvalidInputError } from '../../core/errors.ts';
import { isoOfUs } from '../../mcp-servers/common/index.ts';
import { createAlert, createAlertInput, describeRule } from '../../mcp-servers/market-data/index.ts';
import type { AlertRule } from '../../pipeline/alerts/index.ts';
import type { ApiDeps } from './deps.ts';
import { type ApiEnv, identityOf } from './identity.ts';
import { parseOr400 } from './params.ts';

/** One rule as the page lists it. */
export interface AlertRuleAnswer {
  readonly id: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly kind: string;
  /** What it watches, in words (`price crosses 61000 (up)`). */
  readonly description: string;
  readonly mode: 'once' | 'recurring';
  /** Market time from which it counts, ISO 8601 UTC. */
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly note: string | null;
}

function answerOf(rule: AlertRule): AlertRuleAnswer {
  return {
    id: rule.id,
    exchange: rule.venue,
    symbol: rule.symbol,
    kind: rule.kind,
    description: describeRule(rule),
    mode: rule.mode,
    createdAt: isoOfUs(rule.createdAtUs),
    expiresAt: rule.expiresAtUs === undefined ? null : isoOfUs(rule.expiresAtUs),
    note: rule.note ?? null,
  };
}

/** `GET /alerts`, `POST /alerts` (create_alert's arguments as JSON), `DELETE /alerts/:id`. */
export function alertRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const alerts = deps.alerts;
  if (alerts === undefined) {
    const off = (c: Context<ApiEnv>) => c.json({ error: 'alerts are not offered by this gateway' }, 404);
    return app.all('/alerts', off).all('/alerts/*', off);
  }
  const liveBars = deps.liveBars;
  const createDeps = {
    market: deps.market,
    alerts,
    ...(liveBars === undefined
      ? {}
      : {
          liveTimeUs: (s: { venue: string; symbol: string }) => liveBars.latest(s, '1m')?.openTimeUs ?? null,
        }),
    ...(deps.now === undefined ? {} : { now: deps.now }),
  };
  return app
    .get('/alerts', (c) => {
      const { userId, licence } = identityOf(c);
      const rules = alerts.rules.list(userId);
      return c.json({ alerts: rules.map(answerOf), used: rules.length, limit: alerts.limitOf(licence) });
    })
    .post('/alerts', async (c) => {
      const body: unknown = await c.req.json().catch(() => {
        throw new InvalidInputError(
          'body',
          'not JSON; send create_alert\'s arguments, e.g. {"symbol": "BTCUSDT", "kind": "price_level", "level": 61000}',
        );
      });
      const created = await createAlert(
        createDeps,
        identityOf(c),
        parseOr400(createAlertInput.strict(), body),
      );
      return c.json({ alert: answerOf(created.rule), used: created.used, limit: created.limit }, 201);
    })
    .delete('/alerts/:id', (c) => {
      const id = c.req.param('id');
      if (!alerts.rules.delete(identityOf(c).userId, id))
        return c.json({ error: `you have no alert "${id}"` }, 404);
      return c.json({ deleted: id });
    });
}
