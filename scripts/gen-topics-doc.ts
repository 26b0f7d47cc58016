/**
 * Generates docs/topics.md from deploy/topics.yaml. Run after editing topics.yaml:
 *   node --import tsx scripts/gen-topics-doc.ts
 * pipeline/bus/topics.test.ts fails while docs/topics.md is stale.
 */
import { writeFileSync } from 'node:fs';
import { loadTopicCatalog } from '../pipeline/bus/topics.ts';
import { renderTopicsDoc, TOPICS_DOC_PATH } from '../pipeline/bus/topics-doc.ts';

writeFileSync(TOPICS_DOC_PATH, renderTopicsDoc(loadTopicCatalog()));
process.stdout.write(`wrote ${TOPICS_DOC_PATH}\n`);
