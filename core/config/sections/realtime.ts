import { z } from 'zod';

/** The `realtime` section: the ZeroMQ publisher of live trades, forming bars and quotes. */
export const realtimeConfigSchema = z
  .strictObject({
    pubEndpoint: z
      .string()
      .regex(/^(tcp|ipc|inproc):\/\/\S+$/, 'expected a ZeroMQ endpoint like tcp://127.0.0.1:5556')
      .default('tcp://127.0.0.1:5556')
      .describe('ZeroMQ PUB endpoint the realtime publisher binds (protobuf frames).'),
  })
  .describe('Realtime fan-out over ZeroMQ.');

export type RealtimeConfig = z.infer<typeof realtimeConfigSchema>;
