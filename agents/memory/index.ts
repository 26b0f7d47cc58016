/**
 * The agents' memory: conversation history per user and workspace with compaction and pinned
 * facts, the per-user notes and their model tool, and the `log.chat` records of a turn.
 */

export { toChatLogRecords } from './chat-log.ts';
export { estimateTokensByChars, type TokenEstimator } from './compaction.ts';
export {
  type Conversation,
  type ConversationStore,
  type ConversationStoreOptions,
  createConversationStore,
  type HistoryTurn,
  renderMemory,
  type Summarizer,
  type TurnInput,
} from './conversation-store.ts';
export {
  MemoryError,
  NotesError,
  NotesFullError,
  PinnedFactsFullError,
  TurnShapeError,
} from './errors.ts';
export { checkTurnMessages, type HistoryMessage, imageReference, toHistoryMessages } from './messages.ts';
export { createNotes, type Notes, type NotesOptions, type NotesState } from './notes.ts';
export {
  createNotesTool,
  NOTES_TOOL_NAME,
  type NotesTool,
  type NotesToolInput,
  type NotesToolResult,
  notesToolInputSchema,
} from './notes-tool.ts';
export { MAX_PINNED_FACT_CHARS, MAX_PINNED_FACTS, parseRememberRequest } from './pinned.ts';
