/**
 * The messages a conversation keeps: the Messages API's shape (`MessageParam`), limited to what
 * history needs. What the runtime hands in is checked with zod and cleaned before it is stored:
 *
 * - Images are NOT kept in history. An image block (in a user message or inside a tool_result)
 *   becomes a text reference, `[image image/png, 48.2 kB, sha256:1a2b3c4d5e6f — not kept in
 *   history]` (or the URL for a URL image). Base64 images would bloat every later request and the
 *   history file; the model saw the image in its own turn, and a chart can be drawn again from the
 *   workspace.
 * - Thinking blocks are dropped: the API needs them only inside the turn that produced them.
 * - A tool_use is always followed, in the next message, by the tool_result of its id, and a
 *   tool_result always answers a tool_use of the message before. A turn that breaks this is refused
 *   (see {@link checkTurnMessages}), so splitting history on turn boundaries never separates a pair.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TurnShapeError } from './errors.ts';

const textBlockSchema = z.object({ type: z.literal('text'), text: z.string() });
const imageSourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.object({ type: z.literal('url'), url: z.string() }),
]);
const imageBlockSchema = z.object({ type: z.literal('image'), source: imageSourceSchema });
const toolUseBlockSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});
const toolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.union([textBlockSchema, imageBlockSchema]))]).optional(),
  is_error: z.boolean().optional(),
});

/** A content block as the runtime may hand it in (images and thinking are cleaned on the way in). */
const inputBlockSchema = z.discriminatedUnion('type', [
  textBlockSchema,
  imageBlockSchema,
  toolUseBlockSchema,
  toolResultBlockSchema,
  z.looseObject({ type: z.literal('thinking') }),
  z.looseObject({ type: z.literal('redacted_thinking') }),
]);

/** A message as the runtime hands it in. */
export const inputMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(inputBlockSchema)]),
});
export type InputMessage = z.input<typeof inputMessageSchema>;

/** A tool_result as kept: text only. */
const storedToolResultSchema = toolResultBlockSchema.extend({
  content: z.union([z.string(), z.array(textBlockSchema)]).optional(),
});
const storedBlockSchema = z.discriminatedUnion('type', [
  textBlockSchema,
  toolUseBlockSchema,
  storedToolResultSchema,
]);

/** A message as kept in history and sent back: assignable to the SDK's `MessageParam`. */
export const historyMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(storedBlockSchema)]),
});
export type HistoryMessage = z.output<typeof historyMessageSchema>;
export type HistoryBlock = z.output<typeof storedBlockSchema>;
type TextBlock = z.output<typeof textBlockSchema>;
type ImageBlock = z.output<typeof imageBlockSchema>;

/** The text that stands for an image in history. */
export function imageReference(image: ImageBlock): string {
  if (image.source.type === 'url') return `[image ${image.source.url} — not kept in history]`;
  const bytes = Buffer.byteLength(image.source.data, 'base64');
  const digest = createHash('sha256').update(image.source.data).digest('hex').slice(0, 12);
  return `[image ${image.source.media_type}, ${(bytes / 1000).toFixed(1)} kB, sha256:${digest} — not kept in history]`;
}

function toStoredText(block: TextBlock | ImageBlock): TextBlock {
  return block.type === 'text' ? block : { type: 'text', text: imageReference(block) };
}

/** Cleans one checked message for history: images to references, thinking dropped. */
function toHistoryMessage(message: z.output<typeof inputMessageSchema>): HistoryMessage {
  if (typeof message.content === 'string') return { role: message.role, content: message.content };
  const content: HistoryBlock[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'thinking':
      case 'redacted_thinking':
        break;
      case 'image':
        content.push(toStoredText(block));
        break;
      case 'tool_result': {
        const result = Array.isArray(block.content)
          ? { ...block, content: block.content.map(toStoredText) }
          : (block as z.output<typeof storedToolResultSchema>);
        content.push(result);
        break;
      }
      default:
        content.push(block);
    }
  }
  return { role: message.role, content };
}

function blocksOf(message: HistoryMessage): HistoryBlock[] {
  return typeof message.content === 'string' ? [] : message.content;
}

/**
 * Throws {@link TurnShapeError} unless `messages` is one whole exchange: it starts with the user,
 * roles alternate, it ends with the assistant, and every tool_use is answered by a tool_result of
 * the same id in the very next message (and no tool_result answers nothing).
 */
export function checkTurnMessages(messages: readonly HistoryMessage[]): void {
  if (messages.length === 0)
    throw new TurnShapeError('a turn needs at least a user and an assistant message');
  messages.forEach((message, i) => {
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (message.role !== expected) {
      throw new TurnShapeError(
        `message ${i} is from the ${message.role}; a turn alternates user, assistant, user… starting with the user`,
      );
    }
  });
  if (messages.at(-1)!.role !== 'assistant') {
    throw new TurnShapeError('a turn ends with the assistant message (append a turn once it is answered)');
  }
  messages.forEach((message, i) => {
    const asked = new Set(
      i === 0 ? [] : blocksOf(messages[i - 1]!).flatMap((b) => (b.type === 'tool_use' ? [b.id] : [])),
    );
    const answered = new Set<string>();
    for (const block of blocksOf(message)) {
      if (block.type !== 'tool_result') continue;
      if (!asked.has(block.tool_use_id)) {
        throw new TurnShapeError(
          `message ${i} has a tool_result for ${block.tool_use_id}, which the message before did not call`,
        );
      }
      answered.add(block.tool_use_id);
    }
    for (const id of asked) {
      if (!answered.has(id)) {
        throw new TurnShapeError(
          `tool_use ${id} (message ${i - 1}) has no tool_result in message ${i}; give it one (is_error for a cancelled call)`,
        );
      }
    }
  });
  const lastCalls = blocksOf(messages.at(-1)!).filter((b) => b.type === 'tool_use');
  if (lastCalls.length > 0) {
    throw new TurnShapeError(
      `the last message calls ${lastCalls.map((b) => (b.type === 'tool_use' ? b.id : '')).join(', ')} with no tool_result after it`,
    );
  }
}

/** Checks the runtime's messages (zod), cleans them for history and checks the exchange's shape. */
export function toHistoryMessages(messages: readonly unknown[]): HistoryMessage[] {
  const parsed = z.array(inputMessageSchema).safeParse(messages);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TurnShapeError(
      `turn messages are not Messages API messages at ${issue?.path.join('.')}: ${issue?.message} ` +
        '(blocks kept: text, image, tool_use, tool_result, thinking, redacted_thinking)',
    );
  }
  const cleaned = parsed.data.map(toHistoryMessage);
  checkTurnMessages(cleaned);
  return cleaned;
}
