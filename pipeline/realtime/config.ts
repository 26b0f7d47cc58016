import { z } from 'zod';

/** The `realtime` section: the ZeroMQ live feed. */
export const realtimeConfigSchema = z
  .object({
    zmq: z
      .object({
        /** Where the PUB socket binds, e.g. tcp://127.0.0.1:5556 (use tcp://*:5556 to listen on every interface). */
        pubEndpoint: z
          .string()
          .regex(/^(tcp|ipc|inproc):\/\/.+/, 'expected tcp://host:port, ipc://path or inproc://name')
          .default('tcp://127.0.0.1:5556'),
        /** Frames kept for slow subscribers before the oldest are dropped (ZeroMQ send high-water mark). */
        sendHighWaterMark: z.number().int().positive().default(100_000),
        /** Frames queued inside this process before the oldest are dropped and counted. */
        queueLimit: z.number().int().positive().default(200_000),
      })
      .strict()
      .default({ pubEndpoint: 'tcp://127.0.0.1:5556', sendHighWaterMark: 100_000, queueLimit: 200_000 }),
  })
  .strict();

export type RealtimeConfig = z.infer<typeof realtimeConfigSchema>;
