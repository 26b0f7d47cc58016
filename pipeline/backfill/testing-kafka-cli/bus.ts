/**
 * Test only (loaded in place of pipeline/bus/index.ts by hooks.mjs): `createBus` as the product
 * builds it, with a Kafka bus put under the namespace `QF_TEST_BUS_NS` (topics, consumer groups,
 * transactional ids), so the CLI under test uses fresh topics and never shares a group.
 */

import type { Logger } from '../../../core/logger.ts';
import { namespacedBus } from '../../../test/e2e/workers/namespaced-bus.ts';
import { type BusConfig, type BusOptions, createBus as createProductBus } from '../../bus/index.ts';
import type { Bus } from '../../bus/types.ts';

export * from '../../bus/index.ts';

/** The product's `createBus`, namespaced on Kafka when `QF_TEST_BUS_NS` is set. */
export function createBus(deps: { logger: Logger }, config: BusConfig, options: BusOptions = {}): Bus {
  const bus = createProductBus(deps, config, options);
  const ns = process.env.QF_TEST_BUS_NS;
  return bus.kind === 'kafka' && ns ? namespacedBus(bus, ns) : bus;
}
