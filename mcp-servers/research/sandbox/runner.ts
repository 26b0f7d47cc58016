/**
 * Runs Python code in a bubblewrap sandbox (Debian's `bwrap`, installed by
 * deploy/sandbox/install.sh), never as a bare child process.
 *
 * The sandbox has no network (its own empty network namespace), its own pid namespace (killing
 * bwrap kills everything in it), a fresh session (no terminal), an empty environment but for a
 * fixed few variables, and only the binds of `mounts.ts`. When this process is root, Python runs
 * as an unprivileged uid with no capabilities (root is exempt from RLIMIT_NPROC, and must not own
 * what the code writes); rlimits (address space, processes, CPU, file size) are set by `prlimit`
 * just before Python starts, and a wall-time timer kills the whole sandbox.
 */
import { spawn } from 'node:child_process';
import { chmod, lchown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SAFE_ID } from '../../common/context.ts';
import { changedFiles, snapshotFiles, type WrittenFile } from './files-written.ts';
import { startIndexProxy } from './index-proxy.ts';
import { type SandboxLimits, type SandboxLimitsInput, SandboxLimitsSchema } from './limits.ts';
import {
  type Bind,
  bwrapArgs,
  ETC_FILES,
  SANDBOX_QF,
  SANDBOX_RUN,
  SANDBOX_SCRATCH,
  SANDBOX_SERIES,
  SANDBOX_SRC,
  SANDBOX_STORE,
  SANDBOX_USER_SITE,
  SANDBOX_VENV,
  STORE_ENTRY,
  type UidMode,
} from './mounts.ts';

/** Where things are on the host. */
export interface PythonSandboxConfig {
  /** The venv deploy/python/setup.sh made. */
  readonly venvDir: string;
  /** Folder holding the `qf` package (mcp-servers/research/python). */
  readonly qfPackageDir: string;
  /** The data dir: the store's datasets and `series/<user>/` are taken from it, nothing else. */
  readonly dataDir: string;
  /** Root of the per-user research folders: `<researchDir>/<user>/src` and `/scratch`. */
  readonly researchDir: string;
  /** The uid/gid Python runs as when this process is root. Default 64_055. */
  readonly sandboxUid?: number;
  /** bwrap binary. Default `bwrap` on PATH. */
  readonly bwrapPath?: string;
  /** Limits applied when a run names none. */
  readonly defaultLimits?: SandboxLimitsInput;
  /** Hosts pip may reach (port 443). Default {@link PACKAGE_INDEX_HOSTS}. */
  readonly packageIndexHosts?: readonly string[];
}

/** One run's request. */
export interface RunPythonRequest {
  readonly code: string;
  /** Whose folders; comes from the request context, never from the code's author. */
  readonly userId: string;
  readonly limits?: SandboxLimitsInput;
}

/** A pip install's request: packages into the user's `scratch/.site-packages`. */
export interface PipInstallRequest {
  /** Requirement specifiers (`name`, `name==1.2`), checked by the caller. */
  readonly packages: readonly string[];
  readonly userId: string;
  readonly limits?: SandboxLimitsInput;
}

/** Why the sandbox was stopped, when it was. */
export type KilledBy = 'timeout' | 'cpu' | 'signal';

/** What a run did. */
export interface RunPythonResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Python's exit code; null when it was killed. */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly killedBy?: KilledBy;
  /** True when stdout or stderr went past `maxOutputBytes` and was cut. */
  readonly outputTruncated: boolean;
  /** Files created or changed under `src/` and `scratch/` (dot-files left out). */
  readonly filesWritten: readonly WrittenFile[];
  readonly durationMs: number;
  /** Time from the call to the first byte of output, or null when it printed nothing. */
  readonly firstOutputMs: number | null;
}

/** Runs Python for one user at a time per call; calls may overlap. */
export interface PythonSandbox {
  runPython(request: RunPythonRequest): Promise<RunPythonResult>;
  /**
   * pip install in the same sandbox, whose only way out is the package index (an allow-listing
   * CONNECT proxy on a unix socket, bound in for this run only). The caller checks the licence.
   */
  pipInstall(request: PipInstallRequest): Promise<RunPythonResult>;
  /** The user's writable folders on the host (created on demand). */
  userDirs(userId: string): { src: string; scratch: string };
}

const SIGXCPU = 24;

/** The Python installation a venv was made from (`home` of pyvenv.cfg, one level up). */
async function basePythonPrefix(venvDir: string): Promise<string> {
  const cfg = await readFile(join(venvDir, 'pyvenv.cfg'), 'utf8').catch(() => {
    throw new Error(`no Python venv at ${venvDir}: create it with "bash deploy/python/setup.sh ${venvDir}"`);
  });
  const home = /^home\s*=\s*(.+)$/m.exec(cfg)?.[1]?.trim();
  if (home === undefined) throw new Error(`${venvDir}/pyvenv.cfg names no home`);
  return dirname(home);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Hands every entry under `dir` to the sandbox uid (what the TS side wrote there too). */
async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await lchown(dir, uid, gid);
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    await lchown(join(e.parentPath, e.name), uid, gid);
  }
}

/** A byte-bounded collector of one output stream. */
function collector(max: number): { push(b: Buffer): void; text(): string; truncated(): boolean } {
  const chunks: Buffer[] = [];
  let size = 0;
  let cut = false;
  return {
    push(b) {
      if (size >= max) {
        cut = true;
        return;
      }
      const take = b.length <= max - size ? b : b.subarray(0, max - size);
      if (take.length < b.length) cut = true;
      chunks.push(take);
      size += take.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
    truncated: () => cut,
  };
}

/** Creates the sandbox over `config`; each run spawns bwrap anew. */
export function createPythonSandbox(config: PythonSandboxConfig): PythonSandbox {
  const defaults = SandboxLimitsSchema.parse(config.defaultLimits ?? {});
  const uidMode: UidMode =
    process.getuid?.() === 0
      ? { kind: 'setpriv', uid: config.sandboxUid ?? 64_055, gid: config.sandboxUid ?? 64_055 }
      : { kind: 'userns' };
  let prefix: Promise<string> | undefined;
  let pipScript: Promise<string> | undefined;

  function userDirs(userId: string): { src: string; scratch: string } {
    // The id comes from the transport; still, it becomes a folder name.
    if (!SAFE_ID.test(userId) || userId === '.' || userId === '..')
      throw new Error(`"${userId}" is not a user id`);
    const root = join(config.researchDir, userId);
    return { src: join(root, 'src'), scratch: join(root, 'scratch') };
  }

  async function binds(
    userId: string,
    runDir: string,
    dirs: { src: string; scratch: string },
  ): Promise<Bind[]> {
    prefix ??= basePythonPrefix(config.venvDir);
    const base = await prefix;
    const out: Bind[] = [];
    for (const p of ETC_FILES) if (await exists(p)) out.push({ host: p, sandbox: p, writable: false });
    if (!base.startsWith('/usr/')) out.push({ host: base, sandbox: base, writable: false });
    out.push({ host: config.venvDir, sandbox: SANDBOX_VENV, writable: false });
    out.push({ host: config.qfPackageDir, sandbox: SANDBOX_QF, writable: false });
    out.push({ host: runDir, sandbox: SANDBOX_RUN, writable: false });
    const entries = await readdir(config.dataDir).catch(() => [] as string[]);
    for (const name of entries.sort()) {
      if (STORE_ENTRY.test(name)) {
        out.push({ host: join(config.dataDir, name), sandbox: `${SANDBOX_STORE}/${name}`, writable: false });
      }
    }
    const series = join(config.dataDir, 'series', userId);
    if (await exists(series)) out.push({ host: series, sandbox: SANDBOX_SERIES, writable: false });
    out.push({ host: dirs.src, sandbox: SANDBOX_SRC, writable: true });
    out.push({ host: dirs.scratch, sandbox: SANDBOX_SCRATCH, writable: true });
    return out;
  }

  function innerCommand(limits: SandboxLimits, args: readonly string[]): string[] {
    const prlimit = [
      '/usr/bin/prlimit',
      `--as=${limits.memoryBytes}`,
      `--nproc=${limits.maxProcesses}`,
      `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
      `--fsize=${limits.maxFileBytes}`,
      '--',
      `${SANDBOX_VENV}/bin/python`,
      `${SANDBOX_RUN}/main.py`,
      ...args,
    ];
    if (uidMode.kind !== 'setpriv') return prlimit;
    return [
      '/usr/bin/setpriv',
      `--reuid=${uidMode.uid}`,
      `--regid=${uidMode.gid}`,
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--',
      ...prlimit,
    ];
  }

  /** One program in the sandbox: `main` as main.py, with `args`; `proxied` binds the index proxy in. */
  async function execute(
    request: { readonly userId: string; readonly limits?: SandboxLimitsInput },
    main: string,
    args: readonly string[],
    proxied: boolean,
  ): Promise<RunPythonResult> {
    const started = performance.now();
    const limits = SandboxLimitsSchema.parse({ ...defaults, ...request.limits });
    const dirs = userDirs(request.userId);
    await mkdir(dirs.src, { recursive: true });
    // scratch/out/ is where plots and tables go (the tool returns them); there before the code runs.
    await mkdir(join(dirs.scratch, 'out'), { recursive: true });
    if (uidMode.kind === 'setpriv') {
      await chownTree(dirs.src, uidMode.uid, uidMode.gid);
      await chownTree(dirs.scratch, uidMode.uid, uidMode.gid);
    }
    const runDir = await mkdtemp(join(tmpdir(), 'qf-run-'));
    try {
      await chmod(runDir, 0o755);
      await writeFile(join(runDir, 'main.py'), main, { mode: 0o644 });
      const proxy = proxied
        ? await startIndexProxy({
            socketPath: join(runDir, 'proxy.sock'),
            ...(config.packageIndexHosts === undefined ? {} : { hosts: config.packageIndexHosts }),
          })
        : undefined;
      try {
        const before = await snapshotFiles({ src: dirs.src, scratch: dirs.scratch });
        const env = {
          PATH: `${SANDBOX_VENV}/bin:/usr/bin:/bin`,
          HOME: SANDBOX_SCRATCH,
          TMPDIR: '/tmp',
          LANG: 'C.UTF-8',
          MPLBACKEND: 'Agg',
          MPLCONFIGDIR: `${SANDBOX_SCRATCH}/.config/matplotlib`,
          // qf, then the user's own modules (src/), importable from every run.
          PYTHONPATH: `${SANDBOX_QF}:${SANDBOX_SRC}`,
          // What pip_install put there; sitecustomize (in the qf folder) appends it to sys.path.
          QF_USER_SITE: SANDBOX_USER_SITE,
          ...(proxied ? { QF_PROXY_SOCKET: `${SANDBOX_RUN}/proxy.sock` } : {}),
          PYTHONUNBUFFERED: '1',
          PYTHONDONTWRITEBYTECODE: '1',
          QF_STORE: SANDBOX_STORE,
          QF_SERIES: SANDBOX_SERIES,
        };
        const bwrap = bwrapArgs({
          binds: await binds(request.userId, runDir, dirs),
          env,
          tmpBytes: limits.tmpBytes,
          cwd: SANDBOX_SRC,
          uid: uidMode,
        });
        const out = collector(limits.maxOutputBytes);
        const err = collector(limits.maxOutputBytes);
        let firstOutputMs: number | null = null;
        let timedOut = false;
        const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
          (resolve, reject) => {
            const child = spawn(config.bwrapPath ?? 'bwrap', [...bwrap, ...innerCommand(limits, args)], {
              detached: true,
              env: {},
              stdio: ['ignore', 'pipe', 'pipe'],
            });
            const first = () => {
              firstOutputMs ??= performance.now() - started;
            };
            child.stdout.on('data', (b: Buffer) => {
              first();
              out.push(b);
            });
            child.stderr.on('data', (b: Buffer) => {
              first();
              err.push(b);
            });
            const timer = setTimeout(() => {
              timedOut = true;
              // bwrap leads its own process group; with it dies the sandbox's pid 1 (--die-with-parent),
              // and with that every process of the sandbox's pid namespace.
              if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
            }, limits.wallMs);
            child.on('error', (e) => {
              clearTimeout(timer);
              reject(e);
            });
            child.on('close', (code, signal) => {
              clearTimeout(timer);
              resolve({ code, signal });
            });
          },
        );
        const after = await snapshotFiles({ src: dirs.src, scratch: dirs.scratch });
        // bwrap answers 128+n when its command died of signal n.
        const signalNo = exit.code !== null && exit.code > 128 ? exit.code - 128 : null;
        const killedBy: KilledBy | undefined = timedOut
          ? 'timeout'
          : signalNo === SIGXCPU
            ? 'cpu'
            : exit.signal !== null || signalNo !== null
              ? 'signal'
              : undefined;
        return {
          stdout: out.text(),
          stderr: err.text(),
          exitCode: timedOut || exit.signal !== null || signalNo !== null ? null : exit.code,
          timedOut,
          ...(killedBy === undefined ? {} : { killedBy }),
          outputTruncated: out.truncated() || err.truncated(),
          filesWritten: changedFiles(before, after),
          durationMs: performance.now() - started,
          firstOutputMs,
        };
      } finally {
        await proxy?.close();
      }
    } finally {
      await rm(runDir, { recursive: true, force: true });
    }
  }

  function runPython(request: RunPythonRequest): Promise<RunPythonResult> {
    return execute(request, request.code, [], false);
  }

  async function pipInstall(request: PipInstallRequest): Promise<RunPythonResult> {
    pipScript ??= readFile(join(config.qfPackageDir, '_qf_pip.py'), 'utf8');
    return execute(request, await pipScript, request.packages, true);
  }

  return { runPython, pipInstall, userDirs };
}
