import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**', 'deploy/kafka/.cache/**', '.venv-research/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/setup/tools-global-setup.ts', 'test/setup/kafka-global-setup.ts'],
  },
});
