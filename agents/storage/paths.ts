/**
 * Where the agents keep per-user files: `<dataDir>/agents/<userId>/…`. A user id becomes a folder
 * name, so every id is checked against the same rule the MCP servers use (`SAFE_ID`): no `..`, no
 * slash, nothing that could reach another user's folder.
 */
import { join } from 'node:path';
import { InvalidInputError } from '../../core/errors.ts';
import { SAFE_ID } from '../../mcp-servers/common/context.ts';

/** Throws naming the field when `id` is not a safe file name; returns it otherwise. */
export function checkId(field: string, id: string): string {
  if (!SAFE_ID.test(id)) {
    throw new InvalidInputError(
      field,
      `"${id}" is not a valid id: 1-64 letters, digits, _ - . (not starting with .)`,
    );
  }
  return id;
}

/** `<dataDir>/agents/<userId>`: everything the agents keep for one user. */
export function userDir(dataDir: string, userId: string): string {
  return join(dataDir, 'agents', checkId('userId', userId));
}

/** `<dataDir>/agents/<userId>/<workspaceId>`: one user's conversation in one workspace. */
export function workspaceDir(dataDir: string, userId: string, workspaceId: string): string {
  return join(userDir(dataDir, userId), checkId('workspaceId', workspaceId));
}
