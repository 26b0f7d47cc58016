import { z } from 'zod';

/**
 * The `research` section: the research server's Python sandbox (deploy/python/setup.sh makes the
 * venv, deploy/sandbox/install.sh installs bubblewrap). What each user may run is per licence tier
 * (`licences.tiers.<tier>.research`, `researchPersistent`).
 */
export const researchConfigSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Serve the research server (Python over the store, per-user git folders) when mcp.toolsets lists it; when the venv or bwrap is missing, start says how to install them and runs without it.',
      ),
    dir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Folder of the per-user research folders (git repositories). Default <store.dataDir>/research.',
      ),
    venvDir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Python virtual environment of the sandbox, made by "bash deploy/python/setup.sh [dir]". Default .venv-research in the checkout.',
      ),
    bwrapPath: z
      .string()
      .min(1)
      .default('bwrap')
      .describe(
        'bubblewrap binary that sandboxes each run (on PATH, or a path); deploy/sandbox/install.sh installs it.',
      ),
    idleMinutes: z
      .number()
      .positive()
      .default(30)
      .describe(
        'Idle minutes after which the folder of a user whose tier has researchPersistent false is deleted.',
      ),
    sweepSeconds: z
      .number()
      .positive()
      .default(60)
      .describe('How often idle research folders are looked for, seconds.'),
  })
  .describe('Research sandbox: Python over the stored history in per-user folders.');

export type ResearchConfig = z.infer<typeof researchConfigSchema>;
