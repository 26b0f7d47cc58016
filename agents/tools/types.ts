/**
 * What the agent runtime sees of a tool: a definition it sends to the model (the Messages API
 * `tools` entry) and an outcome it sends back (the content and error flag of a `tool_result`).
 * MCP tools (see `tool-host.ts`) and local tools (knowledge search, notes, delegation) share
 * these shapes, so the runtime treats them alike.
 */
import type { ImageBlockParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';

/** A tool as the model is told about it: `name`, `description`, JSON Schema `input_schema`. */
export interface ModelTool {
  readonly name: string;
  readonly description: string;
  readonly input_schema: Tool.InputSchema;
}

/** One block of a tool result as the Messages API takes it. */
export type ToolResultContent = TextBlockParam | ImageBlockParam;

/** What a tool call gave: content for a `tool_result` block, and whether it is an error. */
export interface ToolOutcome {
  readonly content: ToolResultContent[];
  readonly isError: boolean;
}

/** A tool implemented in the agent process (not over MCP), bound to one turn's context. */
export interface LocalTool {
  readonly definition: ModelTool;
  /** Runs the tool; bad input and failures come back as `isError` outcomes, not throws. */
  run(input: unknown, signal?: AbortSignal): Promise<ToolOutcome>;
}
