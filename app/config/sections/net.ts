import { z } from 'zod';

/** A host name or IP address to listen on or to accept in a Host header. */
export const hostSchema = z
  .string()
  .regex(/^[A-Za-z0-9.\-_]+$|^\[[0-9a-fA-F:]+\]$/, 'expected a host name or IP address like 127.0.0.1');

/** A TCP port, 0 meaning "pick a free one". */
export const portSchema = z.number().int().min(0).max(65535);

/** An http(s) base URL without a trailing slash requirement. */
export const httpUrlSchema = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/** A ws(s) base URL. */
export const wsUrlSchema = z.url({ protocol: /^wss?$/, error: 'expected a ws(s) URL' });
