import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guard, type ToolExtra, textResult } from '../../common/index.ts';
import { callerOf, type ResearchServerDeps } from '../deps.ts';

/** Most characters of a text file read_file returns. */
export const MAX_READ_CHARS = 50_000;
/** Most bytes write_file takes. */
export const MAX_WRITE_CHARS = 1_000_000;
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

export const listFilesInput = z.object({
  limit: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(200)
    .describe('Most files to list (1..1000, default 200), in path order.'),
});

export const readFileInput = z.object({
  path: z
    .string()
    .min(1, 'give a path such as src/runs/1.py')
    .max(300)
    .describe(
      'A file of your research folder: src/… (your code) or scratch/… (outputs), e.g. src/runs/3.py.',
    ),
});

export const writeFileInput = z.object({
  path: z
    .string()
    .min(1, 'give a path under src/, e.g. src/helpers.py')
    .max(300)
    .describe('Where to write, under src/ only (e.g. src/helpers.py); the change is committed.'),
  content: z
    .string()
    .max(MAX_WRITE_CHARS, 'at most 1,000,000 characters')
    .describe('The whole new content of the file (UTF-8 text).'),
});

function looksBinary(data: Buffer): boolean {
  return data.subarray(0, 8000).includes(0);
}

/** `list_files`, `read_file` and `write_file` over the caller's own folder. */
export function registerFileTools(server: McpServer, deps: ResearchServerDeps): void {
  server.registerTool(
    'list_files',
    {
      title: 'List research files',
      description:
        'List the files of your research folder: src/ (your code, in git; runs are src/runs/<n>.py) and scratch/ (outputs of runs, plots and tables under scratch/out/), with sizes.',
      inputSchema: listFilesInput,
      annotations: readOnly,
    },
    guard('list_files', deps.logger, async (args: z.infer<typeof listFilesInput>, extra: ToolExtra) => {
      const caller = callerOf(deps, extra);
      const { files, total } = await deps.research.workspaces.listFiles(
        caller.userId,
        caller.policy,
        args.limit,
      );
      const lines = files.map((f) => `${f.path} (${f.bytes} B)`);
      return {
        ...textResult(
          files.length === 0 ? 'Your research folder holds no files yet.' : lines.join('\n'),
          total > files.length ? `Showing ${files.length} of ${total} files.` : '',
        ),
        structuredContent: { files, total },
      };
    }),
  );

  server.registerTool(
    'read_file',
    {
      title: 'Read research file',
      description:
        "Read a file of your research folder (src/… or scratch/…): text is returned (first 50,000 characters), a PNG as an image. Use it to see an earlier run's code before rerunning or changing it.",
      inputSchema: readFileInput,
      annotations: readOnly,
    },
    guard('read_file', deps.logger, async (args: z.infer<typeof readFileInput>, extra: ToolExtra) => {
      const caller = callerOf(deps, extra);
      if (args.path.endsWith('.png')) {
        const { data, size } = await deps.research.workspaces.readFile(
          caller.userId,
          args.path,
          caller.policy,
          MAX_IMAGE_BYTES,
        );
        if (size > MAX_IMAGE_BYTES)
          return textResult(`${args.path} is ${size} bytes, over the 2 MB an image answer holds.`);
        return {
          content: [
            { type: 'text', text: `${args.path} (${size} B)` },
            { type: 'image', data: data.toString('base64'), mimeType: 'image/png' },
          ],
        };
      }
      const { data, size } = await deps.research.workspaces.readFile(
        caller.userId,
        args.path,
        caller.policy,
        MAX_READ_CHARS * 4,
      );
      if (looksBinary(data))
        return textResult(`${args.path} is a binary file of ${size} bytes; read it from Python.`);
      const text = data.toString('utf8');
      const cut = text.length > MAX_READ_CHARS || data.length < size;
      return textResult(
        cut ? `${args.path} (${size} B; first ${MAX_READ_CHARS} characters):` : `${args.path} (${size} B):`,
        text.slice(0, MAX_READ_CHARS),
      );
    }),
  );

  server.registerTool(
    'write_file',
    {
      title: 'Write research file',
      description:
        'Write a text file under src/ of your research folder (e.g. a helper module your runs import) and commit it. Nothing outside src/ can be written.',
      inputSchema: writeFileInput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('write_file', deps.logger, async (args: z.infer<typeof writeFileInput>, extra: ToolExtra) => {
      const caller = callerOf(deps, extra);
      const r = await deps.research.workspaces.writeFile(
        caller.userId,
        args.path,
        args.content,
        caller.policy,
      );
      return {
        ...textResult(
          r.commit === null
            ? `${r.path} unchanged (same content); nothing to commit.`
            : `Wrote ${r.path} (${Buffer.byteLength(args.content)} B), commit ${r.commit.slice(0, 12)}.`,
        ),
        structuredContent: { path: r.path, commit: r.commit },
      };
    }),
  );
}
