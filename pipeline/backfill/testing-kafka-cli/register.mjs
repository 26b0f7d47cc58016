// Test seam for `node --import <this file> bin/quantforge.mjs backfill --bus kafka`: registers
// hooks.mjs, which gives the CLI a Kafka bus under the namespace QF_TEST_BUS_NS (see bus.ts),
// so a test run of the real command never meets other runs on the shared broker.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
