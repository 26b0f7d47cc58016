/**
 * Vitest global setup: the programs the browser and research-sandbox tests drive, installed by
 * the project's own scripts when missing, so `npm test` on a fresh machine needs nothing else:
 * Debian's chromium (deploy/chromium/install.sh), bubblewrap (deploy/sandbox/install.sh) and
 * the research Python venv (deploy/python/setup.sh; about two minutes the first time, reused
 * afterwards). Each script is a quick no-op when its tool is there; a failure stops the run
 * with the script's reason, so those suites are never skipped silently.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPTS = ['deploy/chromium/install.sh', 'deploy/sandbox/install.sh', 'deploy/python/setup.sh'];

export default function setup(): void {
  for (const script of SCRIPTS) {
    // Their output goes to stderr, so a first-time install is visible in the test run.
    const run = spawnSync('bash', [script], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
    if (run.status !== 0) {
      throw new Error(`${script} exited ${run.status ?? run.signal}: see its output above`);
    }
  }
}
