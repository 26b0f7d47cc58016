/**
 * Markdown → sections, the unit the knowledge index ranks: one section per ATX heading
 * (`#` … `######`), holding the text up to the next heading. Headings inside fenced code do not
 * split; YAML front matter is left out; text before the first heading is a section named after
 * the file.
 */

/** One section of a knowledge file. */
export interface KnowledgeSection {
  /** File name inside its namespace folder, e.g. `rsi.md`. */
  readonly file: string;
  /** The heading trail, outermost first, e.g. `RSI › Divergence`. */
  readonly heading: string;
  /** The section's text without its heading line, trimmed. */
  readonly text: string;
}

const HEADING = /^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;
const TRAIL_SEPARATOR = ' › ';

function withoutFrontMatter(markdown: string): string {
  if (!markdown.startsWith('---\n') && !markdown.startsWith('---\r\n')) return markdown;
  const end = markdown.search(/\r?\n---[ \t]*(\r?\n|$)/);
  if (end < 0) return markdown;
  const after = markdown.indexOf('\n', end + 4);
  return after < 0 ? '' : markdown.slice(after + 1);
}

/**
 * The sections of `markdown` (the content of `file`). A heading with no text of its own makes no
 * section; its title lives on in the trails of its sub-sections.
 */
export function splitSections(markdown: string, file: string): KnowledgeSection[] {
  const sections: KnowledgeSection[] = [];
  const trail: { level: number; title: string }[] = [];
  let heading = file.replace(/\.md$/i, '');
  let body: string[] = [];
  let fence: string | undefined;

  const flush = () => {
    const text = body.join('\n').trim();
    if (text !== '') sections.push({ file, heading, text });
    body = [];
  };

  for (const line of withoutFrontMatter(markdown).split(/\r?\n/)) {
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch !== null) {
      const marker = fenceMatch[1]!;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      body.push(line);
      continue;
    }
    const match = fence === undefined ? HEADING.exec(line) : null;
    if (match === null) {
      body.push(line);
      continue;
    }
    flush();
    const level = match[1]!.length;
    while (trail.length > 0 && trail[trail.length - 1]!.level >= level) trail.pop();
    trail.push({ level, title: match[2]! });
    heading = trail.map((h) => h.title).join(TRAIL_SEPARATOR);
  }
  flush();
  return sections;
}
