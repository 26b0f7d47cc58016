/**
 * Debian's Chromium for browser tests, driven by playwright-core (no browser download): the
 * executable is `QF_CHROMIUM` or /usr/bin/chromium, installed by deploy/chromium/install.sh
 * (which .ci/run calls). Missing, it is an error naming that script, never a silent skip.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** The script that installs Chromium. */
export const CHROMIUM_INSTALL_SCRIPT = 'deploy/chromium/install.sh';
/** Environment variable naming another Chromium executable. */
export const CHROMIUM_VARIABLE = 'QF_CHROMIUM';

export class ChromiumMissing extends Error {
  override readonly name = 'ChromiumMissing';
  constructor(readonly path: string) {
    super(
      `Chromium not found at ${path}: run \`bash ${CHROMIUM_INSTALL_SCRIPT}\` (installs Debian's chromium) ` +
        `or set ${CHROMIUM_VARIABLE} to a Chromium executable`,
    );
  }
}

/** Path of the Chromium executable; throws `ChromiumMissing` when it is not there. */
export function chromiumPath(): string {
  const path = process.env[CHROMIUM_VARIABLE] || '/usr/bin/chromium';
  if (!existsSync(path)) throw new ChromiumMissing(path);
  return path;
}

/** Headless Chromium; close it when done. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    chromiumSandbox: false,
    args: ['--disable-gpu', '--disable-dev-shm-usage'],
  });
}
