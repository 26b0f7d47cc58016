/**
 * The souls' knowledge: one namespace per folder of `souls/knowledge/<namespace>/*.md`, split
 * into sections by heading and ranked with BM25+ (minisearch). A namespace is indexed the first
 * time it is searched and kept for the life of the knowledge base. Who may search which
 * namespace is decided by the caller (a soul's `rag`), never by the model.
 */
import { readdirSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { InvalidInputError, QuantForgeError } from '../../core/errors.ts';
import { type KnowledgeSection, splitSections } from './sections.ts';

/** One ranked section. */
export interface KnowledgeHit {
  /** File name inside the namespace folder. */
  readonly file: string;
  /** Heading trail of the section, e.g. `RSI › Divergence`. */
  readonly heading: string;
  /** A short passage around the first match (about {@link EXCERPT_CHARS} characters). */
  readonly excerpt: string;
  /** The whole section text. */
  readonly text: string;
  /** BM25+ score (higher is better; comparable within one search only). */
  readonly score: number;
}

/** The knowledge of every namespace under one folder. */
export interface KnowledgeBase {
  /** Namespace names (sub-folders), sorted. */
  namespaces(): string[];
  /**
   * The `limit` best sections of `namespace` for `query`, best first; an empty query finds
   * nothing. Throws {@link KnowledgeError} for an unknown namespace (naming the valid ones).
   */
  search(namespace: string, query: string, limit?: number): Promise<KnowledgeHit[]>;
}

/** A knowledge folder or namespace that does not exist. */
export class KnowledgeError extends QuantForgeError {
  override readonly name: string = 'KnowledgeError';
}

/** Length of a hit's excerpt, in characters. */
export const EXCERPT_CHARS = 240;
/** Hits a search returns by default, and at most. */
export const DEFAULT_HITS = 5;
export const MAX_HITS = 50;

interface Indexed {
  readonly index: MiniSearch<IndexedSection>;
  readonly sections: readonly KnowledgeSection[];
}

interface IndexedSection {
  readonly id: number;
  readonly heading: string;
  readonly text: string;
}

/** The excerpt of `text` around the first of `terms` found (the start when none is). */
export function excerptOf(text: string, terms: readonly string[], size = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= size) return flat;
  const lower = flat.toLowerCase();
  let at = -1;
  for (const term of terms) {
    const i = lower.indexOf(term.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  let start = Math.max(0, at - Math.floor(size / 4));
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    start = space < 0 || space > at ? start : space + 1;
  }
  let end = Math.min(flat.length, start + size);
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    if (space > start) end = space;
  }
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}

async function indexNamespace(folder: string): Promise<Indexed> {
  const files = (await readdir(folder, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.md'))
    .map((e) => e.name)
    .sort();
  const sections: KnowledgeSection[] = [];
  for (const file of files) sections.push(...splitSections(await readFile(join(folder, file), 'utf8'), file));
  const index = new MiniSearch<IndexedSection>({
    fields: ['heading', 'text'],
    searchOptions: {
      boost: { heading: 2 },
      // Prefix and typo tolerance only where a term is long enough to mean something.
      prefix: (term) => term.length >= 4,
      fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
    },
  });
  index.addAll(sections.map((s, id) => ({ id, heading: s.heading, text: s.text })));
  return { index, sections };
}

/**
 * The knowledge under `dir` (e.g. `souls/knowledge`): each sub-folder is a namespace. The
 * folder list is read now; each namespace's files when it is first searched.
 */
export function createKnowledgeBase(dir: string): KnowledgeBase {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new KnowledgeError(`knowledge dir ${dir} is not a folder`);
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if (error instanceof KnowledgeError) throw error;
    throw new KnowledgeError(`cannot read the knowledge dir ${dir}`, { cause: error });
  }
  const indexes = new Map<string, Promise<Indexed>>();

  function indexed(namespace: string): Promise<Indexed> {
    if (!names.includes(namespace)) {
      throw new KnowledgeError(
        `unknown knowledge namespace "${namespace}"; valid: ${names.length === 0 ? `none (no folder under ${dir})` : names.join(', ')}`,
      );
    }
    let index = indexes.get(namespace);
    if (index === undefined) {
      index = indexNamespace(join(dir, namespace));
      indexes.set(namespace, index);
      index.catch(() => indexes.delete(namespace));
    }
    return index;
  }

  return {
    namespaces: () => [...names],
    async search(namespace, query, limit = DEFAULT_HITS) {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HITS)
        throw new InvalidInputError('limit', `${limit} is not a whole number in 1..${MAX_HITS}`);
      const { index, sections } = await indexed(namespace);
      if (query.trim() === '') return [];
      return index
        .search(query)
        .slice(0, limit)
        .map((r) => {
          const s = sections[Number(r.id)]!;
          return {
            file: s.file,
            heading: s.heading,
            excerpt: excerptOf(s.text, r.terms),
            text: s.text,
            score: r.score,
          };
        });
    },
  };
}
