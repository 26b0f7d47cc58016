/** Per-run resource limits of the Python sandbox (the licence decides them; these are the defaults). */
import { z } from 'zod';

export const SandboxLimitsSchema = z.object({
  /** Wall time (ms) before the whole sandbox is killed; what it printed so far is kept. */
  wallMs: z.number().int().positive().default(30_000),
  /** CPU seconds (RLIMIT_CPU): SIGXCPU, then SIGKILL one second later. */
  cpuSeconds: z.number().int().positive().default(60),
  /** Address space per process (RLIMIT_AS), bytes. */
  memoryBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 1024 ** 3),
  /** Processes and threads of the sandbox uid (RLIMIT_NPROC). */
  maxProcesses: z.number().int().positive().default(128),
  /** Largest file a run may write (RLIMIT_FSIZE), bytes. */
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(256 * 1024 ** 2),
  /** Size of the sandbox's private /tmp (tmpfs), bytes. */
  tmpBytes: z
    .number()
    .int()
    .positive()
    .default(256 * 1024 ** 2),
  /** Most bytes of stdout (and of stderr) kept; the rest is dropped and flagged. */
  maxOutputBytes: z
    .number()
    .int()
    .positive()
    .default(1024 ** 2),
});
export type SandboxLimits = z.infer<typeof SandboxLimitsSchema>;
export type SandboxLimitsInput = z.input<typeof SandboxLimitsSchema>;
