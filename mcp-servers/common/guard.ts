/**
 * The one place that decides what a failing tool call shows: argument errors keep their
 * `field: what is valid` message, zod errors name their path, anything else is logged and
 * reported as an internal error of that tool. The server keeps running either way.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ZodError } from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { errorMessage } from './errors.ts';

/** Error result of a failed call. */
export function toolErrorResult(tool: string, error: unknown, logger?: Logger): CallToolResult {
  let text: string;
  if (error instanceof InvalidInputError) {
    text = error.message;
  } else if (error instanceof ZodError) {
    text = error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
  } else {
    logger?.error({ err: error, tool }, 'tool failed');
    text = `${tool} failed: ${errorMessage(error)}`;
  }
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * Wraps a tool handler so that whatever it throws becomes an `isError` result (the SDK does
 * this too, but without our field-naming and logging).
 */
export function guard<A extends unknown[]>(
  tool: string,
  logger: Logger | undefined,
  handler: (...args: A) => Promise<CallToolResult>,
): (...args: A) => Promise<CallToolResult> {
  return async function guardedTool(...args: A): Promise<CallToolResult> {
    try {
      return await handler(...args);
    } catch (error) {
      return toolErrorResult(tool, error, logger);
    }
  };
}
