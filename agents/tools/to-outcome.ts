/**
 * MCP tool results → Messages API `tool_result` content, faithfully: text stays text, images
 * become base64 image blocks, `isError` becomes the outcome's error flag. What the Messages API
 * cannot carry (audio, binary resources, image types it does not read) becomes a short text
 * saying what was left out, so the model never mistakes an omission for an empty answer.
 */
import type { Base64ImageSource } from '@anthropic-ai/sdk/resources/messages';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolOutcome, ToolResultContent } from './types.ts';

type McpContent = CallToolResult['content'][number];

const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

function isImageMediaType(mimeType: string): mimeType is Base64ImageSource['media_type'] {
  return IMAGE_TYPES.has(mimeType);
}

function text(value: string): ToolResultContent {
  return { type: 'text', text: value };
}

function toBlock(item: McpContent): ToolResultContent {
  switch (item.type) {
    case 'text':
      return text(item.text);
    case 'image':
      return isImageMediaType(item.mimeType)
        ? { type: 'image', source: { type: 'base64', media_type: item.mimeType, data: item.data } }
        : text(
            `[image of type ${item.mimeType} left out: the model reads only ${[...IMAGE_TYPES].join(', ')}]`,
          );
    case 'audio':
      return text(`[audio of type ${item.mimeType} left out: the model cannot hear it]`);
    case 'resource_link':
      return text(`[resource ${item.name}: ${item.uri}${item.description ? ` (${item.description})` : ''}]`);
    case 'resource': {
      const r = item.resource;
      if ('text' in r) return text(r.text);
      return text(`[binary resource ${r.uri}${r.mimeType ? ` of type ${r.mimeType}` : ''} left out]`);
    }
  }
}

/** A `tools/call` result as the SDK client returns it: current, or the pre-2024-11 `toolResult`. */
export type McpCallResult = CallToolResult | { readonly toolResult: unknown };

/** The outcome of an MCP `tools/call` result. */
export function toToolOutcome(result: McpCallResult): ToolOutcome {
  if (!('content' in result)) return { content: [text(JSON.stringify(result.toolResult))], isError: false };
  const content = result.content.map(toBlock);
  // A tool may answer with structured content only; the model then reads it as JSON.
  if (content.length === 0 && result.structuredContent !== undefined)
    content.push(text(JSON.stringify(result.structuredContent)));
  return { content, isError: result.isError === true };
}

/** An error outcome with one text block. */
export function errorOutcome(message: string): ToolOutcome {
  return { content: [text(message)], isError: true };
}
