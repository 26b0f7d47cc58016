/**
 * The git CLI over one user's research folder. The repository is `<userDir>/.git`, outside the
 * sandbox's binds (only `src/` and `scratch/` are mounted), so code in the sandbox can neither
 * rewrite history nor plant hooks or config. Every call names the repository explicitly
 * (GIT_DIR, GIT_WORK_TREE), reads no system or global config and runs no hooks.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One commit of the history. */
export interface Commit {
  readonly id: string;
  /** Author time, ISO 8601 UTC. */
  readonly time: string;
  readonly subject: string;
  /** Files the commit changed, relative to the user's folder (`src/…`). */
  readonly files: readonly string[];
}

/** Git in one user's folder, with commits authored as `QuantForge research <user>`. */
export interface UserGit {
  /** Creates the repository when absent. */
  init(): Promise<void>;
  /** Stages everything under `src/` and commits it; null when nothing changed. */
  commitSrc(message: string, timeMs: number): Promise<string | null>;
  /** The newest `limit` commits, newest first. */
  log(limit: number): Promise<Commit[]>;
}

const SEP = '\u001f';

/** A {@link UserGit} over `userDir` for `userId`. */
export function userGit(userDir: string, userId: string): UserGit {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_DIR: join(userDir, '.git'),
    GIT_WORK_TREE: userDir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C.UTF-8',
  };
  const name = `QuantForge research ${userId}`;
  const email = `${userId}@research.quantforge.invalid`;

  async function git(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<string> {
    const { stdout } = await run(
      'git',
      ['-c', 'core.hooksPath=/dev/null', '-c', 'core.autocrlf=false', '-c', 'core.quotePath=false', ...args],
      { cwd: userDir, env: { ...env, ...extraEnv }, maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout;
  }

  return {
    async init() {
      await git(['init', '--quiet', '--initial-branch=main']);
      // The scratch dir and our own bookkeeping never enter the history.
      await writeFile(join(userDir, '.git', 'info', 'exclude'), '/scratch/\n/.qf-*\n');
    },
    async commitSrc(message, timeMs) {
      await git(['add', '--all', '--', 'src']);
      const staged = await git(['diff', '--cached', '--name-only']);
      if (staged.trim() === '') return null;
      const date = `@${Math.floor(timeMs / 1000)} +0000`;
      await git(['commit', '--quiet', '--no-verify', '--no-gpg-sign', '-m', message], {
        GIT_AUTHOR_NAME: name,
        GIT_AUTHOR_EMAIL: email,
        GIT_COMMITTER_NAME: name,
        GIT_COMMITTER_EMAIL: email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      });
      return (await git(['rev-parse', 'HEAD'])).trim();
    },
    async log(limit) {
      const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '');
      if (head.trim() === '') return [];
      const out = await git([
        'log',
        `--max-count=${limit}`,
        '--name-only',
        `--format=${SEP}%H${SEP}%aI${SEP}%s`,
      ]);
      const commits: Commit[] = [];
      for (const block of out.split(`\n${SEP}`).map((b, i) => (i === 0 ? b.replace(SEP, '') : b))) {
        const [headLine = '', ...files] = block.split('\n');
        const [id = '', time = '', subject = ''] = headLine.split(SEP);
        if (id === '') continue;
        commits.push({
          id,
          time: new Date(time).toISOString(),
          subject,
          files: files.filter((f) => f !== ''),
        });
      }
      return commits;
    },
  };
}
