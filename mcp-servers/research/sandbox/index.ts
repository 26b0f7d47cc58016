/** The research sandbox: Python in bubblewrap over the store, per user. */
export type { WrittenFile } from './files-written.ts';
export { type SandboxLimits, type SandboxLimitsInput, SandboxLimitsSchema } from './limits.ts';
export { SANDBOX_SCRATCH, SANDBOX_SERIES, SANDBOX_SRC, SANDBOX_STORE } from './mounts.ts';
export {
  createPythonSandbox,
  type KilledBy,
  type PythonSandbox,
  type PythonSandboxConfig,
  type RunPythonRequest,
  type RunPythonResult,
} from './runner.ts';
