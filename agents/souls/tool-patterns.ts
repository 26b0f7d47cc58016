/**
 * Tool names as a model sees them, `mcp__<server>__<tool>` (Claude Code's naming for MCP tools),
 * and the `*` patterns a soul writes to allow them (`mcp__market-data__*`, `mcp__*__get_*`).
 */

/** `mcp__<server>__<tool>`: one segment of letters, digits, `-`, `_` (and `*` in a pattern) each. */
const PATTERN_SHAPE = /^mcp__([a-z0-9*][a-z0-9*-]*)__([a-z0-9_*]+)$/;

/** The model-facing name of `tool` on MCP server `server`. */
export function toolNameOf(server: string, tool: string): string {
  return `mcp__${server}__${tool}`;
}

/** True when `pattern` has the `mcp__<server>__<tool>` shape (with optional `*`). */
export function isToolPattern(pattern: string): boolean {
  return PATTERN_SHAPE.test(pattern);
}

/** The server part of a tool name or pattern, or undefined when it has no `mcp__<server>__` shape. */
export function serverOf(pattern: string): string | undefined {
  return PATTERN_SHAPE.exec(pattern)?.[1];
}

/** A matcher for one pattern: `*` stands for any run of characters, everything else is literal. */
export function toolMatcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`);
  return (name) => re.test(name);
}

/** The names among `names` that at least one of `patterns` matches, in the order of `names`. */
export function expandToolPatterns(patterns: readonly string[], names: readonly string[]): string[] {
  const matchers = patterns.map(toolMatcher);
  return names.filter((name) => matchers.some((m) => m(name)));
}
