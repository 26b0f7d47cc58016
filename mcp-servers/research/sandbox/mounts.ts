/**
 * What the sandbox sees, as bubblewrap arguments (pure). Everything is an explicit bind on an
 * empty root: the system's /usr (and the /lib, /bin links), a few files of /etc, the Python the
 * venv was made from, the venv and the `qf` package read-only, the store's datasets and catalog
 * read-only at {@link SANDBOX_STORE}, the user's own series references read-only, and the user's
 * `src/` and scratch dir read-write. Nothing else of the data dir (workspaces, state, gateway,
 * secrets, config, other users) exists inside.
 */

/** Fixed paths inside the sandbox. */
export const SANDBOX_VENV = '/qf/venv';
export const SANDBOX_QF = '/qf/python';
export const SANDBOX_STORE = '/qf/store';
export const SANDBOX_SERIES = '/qf/series';
export const SANDBOX_RUN = '/qf/run';
export const SANDBOX_SRC = '/workspace/src';
export const SANDBOX_SCRATCH = '/workspace/scratch';
/** Where pip_install puts packages (a dot-folder: not listed as files written, not in list_files). */
export const SANDBOX_USER_SITE = '/workspace/scratch/.site-packages';

/** Names in the data dir that belong to the store: its datasets and catalog. */
export const STORE_ENTRY = /^(?:_catalog|trades|symbols|bars_[A-Za-z0-9]{1,8})$/;

/** Files of /etc a Python program may want (name lookups, time zones, certificates); bound when present. */
export const ETC_FILES = [
  '/etc/passwd',
  '/etc/group',
  '/etc/nsswitch.conf',
  '/etc/localtime',
  '/etc/ssl',
  '/etc/ca-certificates',
];

/** One host path bound into the sandbox. */
export interface Bind {
  readonly host: string;
  readonly sandbox: string;
  readonly writable: boolean;
}

/** How bwrap must switch to the unprivileged uid. */
export type UidMode =
  /** We are root: bwrap keeps only CAP_SETUID/SETGID/SETPCAP, and setpriv drops to `uid` with no capabilities. */
  | { readonly kind: 'setpriv'; readonly uid: number; readonly gid: number }
  /** We are not root: an unprivileged user namespace (the caller's uid, which RLIMIT_NPROC binds). */
  | { readonly kind: 'userns' };

/** Every directory above the sandbox paths, created world-readable (bwrap makes them 0700 otherwise). */
function parentDirs(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  const args: string[] = [];
  for (const p of paths) {
    const parts = p.split('/').filter((s) => s !== '');
    for (let i = 1; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`;
      if (seen.has(dir)) continue;
      seen.add(dir);
      args.push('--perms', '0755', '--dir', dir);
    }
  }
  return args;
}

/** Arguments of the bwrap command line up to (not including) the program it runs. */
export function bwrapArgs(options: {
  readonly binds: readonly Bind[];
  readonly env: Readonly<Record<string, string>>;
  readonly tmpBytes: number;
  readonly cwd: string;
  readonly uid: UidMode;
}): string[] {
  const args = [
    '--unshare-ipc',
    '--unshare-pid',
    '--unshare-net',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    '--hostname',
    'sandbox',
  ];
  if (options.uid.kind === 'setpriv') {
    for (const cap of ['CAP_SETUID', 'CAP_SETGID', 'CAP_SETPCAP']) args.push('--cap-add', cap);
  } else {
    args.push('--unshare-user', '--disable-userns');
  }
  args.push(
    '--ro-bind',
    '/usr',
    '/usr',
    '--symlink',
    'usr/lib',
    '/lib',
    '--symlink',
    'usr/lib64',
    '/lib64',
    '--symlink',
    'usr/bin',
    '/bin',
    '--symlink',
    'usr/sbin',
    '/sbin',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--perms',
    '1777',
    '--size',
    String(options.tmpBytes),
    '--tmpfs',
    '/tmp',
  );
  args.push(...parentDirs(options.binds.map((b) => b.sandbox)));
  for (const b of options.binds) args.push(b.writable ? '--bind' : '--ro-bind', b.host, b.sandbox);
  for (const [k, v] of Object.entries(options.env)) args.push('--setenv', k, v);
  args.push('--chdir', options.cwd, '--');
  return args;
}
