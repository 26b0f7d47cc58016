/**
 * Progress for long work: a live bar on a terminal (cli-progress), plain lines otherwise
 * (CI logs, pipes), both on stderr so stdout stays for results.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, detail?: string): void;
  stop(summary?: string): void;
}

/** A progress reporter for `label`; `total` when known. */
export function createProgress(label: string, total?: number): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: total
          ? `${label} [{bar}] {percentage}% {value}/{total} {detail}`
          : `${label} {value} {detail}`,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total ?? 0, 0, { detail: '' });
    return {
      update: (done, detail = '') => bar.update(done, { detail }),
      stop: (summary) => {
        bar.stop();
        if (summary) process.stderr.write(`${summary}\n`);
      },
    };
  }
  let lastLine = 0;
  return {
    update(done, detail = '') {
      const now = Date.now();
      if (now - lastLine < 2000) return;
      lastLine = now;
      process.stderr.write(`${label}: ${done}${total ? `/${total}` : ''} ${detail}\n`);
    },
    stop(summary) {
      if (summary) process.stderr.write(`${summary}\n`);
    },
  };
}
