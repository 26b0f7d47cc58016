import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextOf, tempDataDir } from '../testing/memory-fixtures.ts';
import { NotesFullError } from './errors.ts';
import { createNotes } from './notes.ts';
import { createNotesTool } from './notes-tool.ts';

let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.remove());

describe('notes', () => {
  it('appends, replaces and deletes entries in a per-user file', async () => {
    const notes = createNotes({ dataDir: data.dir, maxBytes: 1000 });
    await notes.append('alice', 'prefers 4h charts');
    await notes.append('alice', 'holds 2 BTC');
    await notes.replace('alice', '2 BTC', '3 BTC');
    const state = await notes.delete('alice', 'prefers 4h charts');
    expect(state.text).toBe('holds 3 BTC\n');
    expect(state.sizeBytes).toBe(12);
    expect(readFileSync(join(data.dir, 'agents', 'alice', 'notes.md'), 'utf8')).toBe('holds 3 BTC\n');
    expect((await notes.read('bob')).text).toBe('');
  });

  it('refuses an edit past the cap, saying the size, the cap and what to remove, and keeps the notes', async () => {
    const notes = createNotes({ dataDir: data.dir, maxBytes: 60 });
    await notes.append('alice', 'a long entry about the way alice likes her charts');
    const error = await notes.append('alice', 'one more entry').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotesFullError);
    const full = error as NotesFullError;
    expect(full.sizeBytes).toBe(65);
    expect(full.capBytes).toBe(60);
    expect(full.message).toContain('65 bytes and the cap is 60 bytes');
    expect(full.message).toContain('at least 5 bytes');
    expect(full.message).toContain('"a long entry about the way alice likes her charts" (50 bytes)');
    expect((await notes.read('alice')).text).toBe('a long entry about the way alice likes her charts\n');
    // Shrinking is always allowed.
    await notes.replace('alice', 'a long entry about the way ', '');
    expect((await notes.read('alice')).sizeBytes).toBe(23);
  });

  it('says when the text to edit is missing or ambiguous', async () => {
    const notes = createNotes({ dataDir: data.dir, maxBytes: 1000 });
    await notes.append('alice', 'BTC long');
    await notes.append('alice', 'BTC short');
    await expect(notes.delete('alice', 'ETH')).rejects.toThrow(/not in the notes/);
    await expect(notes.replace('alice', 'BTC', 'ETH')).rejects.toThrow(/more than once/);
  });

  it('the tool acts for the context user only and returns errors as results', async () => {
    const tool = createNotesTool(createNotes({ dataDir: data.dir, maxBytes: 40 }));
    expect(tool.name).toBe('notes');
    expect(tool.input_schema).toMatchObject({ type: 'object', required: ['action'] });
    const alice = contextOf('alice');
    const bob = contextOf('bob');

    const added = await tool.handle(alice, { action: 'append', text: 'alice likes ETH' });
    expect(added.isError).toBe(false);
    expect(added.content[0]!.text).toContain('16 of 40 bytes');
    expect((await tool.handle(bob, { action: 'read' })).content[0]!.text).not.toContain('alice');

    const full = await tool.handle(alice, { action: 'append', text: 'and she also trades SOL and DOGE' });
    expect(full.isError).toBe(true);
    expect(full.content[0]!.text).toMatch(/49 bytes and the cap is 40 bytes/);

    const bad = await tool.handle(alice, { action: 'replace', old: 'ETH' });
    expect(bad).toEqual({
      isError: true,
      content: [{ type: 'text', text: expect.stringContaining('new: replace needs `new`') }],
    });
    const unknown = await tool.handle(alice, { action: 'wipe' });
    expect(unknown.isError).toBe(true);
  });
});
