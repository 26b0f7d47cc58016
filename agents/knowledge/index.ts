/**
 * Knowledge (RAG) for souls: per-namespace Markdown folders ranked with BM25+, and the
 * `knowledge_search` tool bound to one namespace.
 */
export {
  createKnowledgeBase,
  DEFAULT_HITS,
  EXCERPT_CHARS,
  excerptOf,
  type KnowledgeBase,
  KnowledgeError,
  type KnowledgeHit,
  MAX_HITS,
} from './knowledge-base.ts';
export {
  createKnowledgeSearchTool,
  HIT_TEXT_CHARS,
  KNOWLEDGE_SEARCH_TOOL,
  knowledgeSearchInput,
} from './knowledge-tool.ts';
export { type KnowledgeSection, splitSections } from './sections.ts';
