/** The service's bus side: `BackfillProgress` envelopes out, `BackfillCommand` envelopes in. */
import { randomUUID } from 'node:crypto';
import {
  type BackfillCommand,
  BackfillCommandCodec,
  BackfillProgressCodec,
  EnvelopeCodec,
  EventType,
  SCHEMA_VERSION,
} from '../../proto/index.ts';
import { TOPIC_NAMES } from '../bus/topic-names.ts';
import type { Bus, BusBatch, BusRecord } from '../bus/types.ts';
import type { BackfillDataset, BackfillRequest, BackfillStatus } from './types.ts';

/** Topics the service reads and writes. */
export const BACKFILL_TOPICS = {
  commands: TOPIC_NAMES.cmdBackfill,
  progress: TOPIC_NAMES.execBackfill,
} as const;

/** A status as a `BackfillProgress` envelope on `exec.backfill`, keyed by job id. */
export function toProgressRecord(status: BackfillStatus): BusRecord {
  const payload = BackfillProgressCodec.encode({
    jobId: status.jobId,
    state: status.state,
    itemsWritten: status.itemsWritten,
    requestsMade: status.requestsMade,
    fractionDone: status.fractionDone,
    coveredToUs: status.coveredToUs,
    error: status.error ?? '',
    updatedAtUs: status.updatedAtUs,
  });
  const value = EnvelopeCodec.encode({
    eventId: `backfill:${status.jobId}:${status.state}:${status.requestsMade}`,
    eventType: EventType.backfillProgress,
    venue: status.venue,
    symbol: status.symbol,
    observedAtUs: status.updatedAtUs,
    ingestedAtUs: status.updatedAtUs,
    schemaVersion: SCHEMA_VERSION,
    payload,
  });
  return { topic: BACKFILL_TOPICS.progress, key: status.jobId, value };
}

/** What the command consumer drives. */
export interface CommandHandlerDeps {
  readonly bus: Bus;
  readonly nowUs: () => number;
  submit(request: BackfillRequest): Promise<unknown>;
  cancel(jobId: string): boolean;
  /** True for a job id this service already has (a redelivered command is not run twice). */
  known(jobId: string): boolean;
  publish(status: BackfillStatus): Promise<void>;
}

function toRequest(command: BackfillCommand): BackfillRequest {
  return {
    jobId: command.jobId,
    venue: command.venue,
    symbol: command.symbol,
    dataset: command.dataset as BackfillDataset,
    period: command.period,
    fromUs: Number(command.fromUs),
    ...(Number(command.toUs) > 0 ? { toUs: Number(command.toUs) } : {}),
    requestedBy: command.requestedBy,
  };
}

/**
 * The `cmd.backfill` handler: start or cancel per command. An undecodable message is
 * dead-lettered; a refused command is answered with a `failed` progress carrying the reason,
 * so whoever sent it sees why on `exec.backfill`.
 */
export function createCommandHandler(deps: CommandHandlerDeps): (batch: BusBatch) => Promise<void> {
  return async function handleBackfillCommands(batch) {
    for (const message of batch.messages) {
      let command: BackfillCommand;
      try {
        command = BackfillCommandCodec.decode(EnvelopeCodec.decode(message.value).payload);
      } catch (error) {
        await deps.bus.deadLetter(message, {
          code: 'undecodable',
          message: `not an Envelope with a BackfillCommand: ${error instanceof Error ? error.message : String(error)}`,
          source: 'backfill',
        });
        continue;
      }
      if (command.action === 'cancel') {
        deps.cancel(command.jobId);
        continue;
      }
      if (command.jobId !== '' && deps.known(command.jobId)) continue;
      try {
        await deps.submit(toRequest(command));
      } catch (error) {
        const request = toRequest(command);
        await deps.publish({
          ...request,
          jobId: command.jobId || randomUUID(),
          period: command.period,
          toUs: request.toUs ?? 0,
          state: 'failed',
          itemsWritten: 0,
          requestsMade: 0,
          fractionDone: 0,
          coveredToUs: request.fromUs,
          gapsFound: 0,
          notes: [],
          error: error instanceof Error ? error.message : String(error),
          updatedAtUs: deps.nowUs(),
        });
      }
    }
  };
}
