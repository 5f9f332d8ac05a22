/**
 * `prisma generate` without network: the CLI wants a native schema engine it
 * never uses for generation; any existing executable satisfies it
 * (see ENVIRONMENT notes in docs/adr/0001-stack.md).
 */
import { spawnSync } from 'node:child_process';

const result = spawnSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  },
});
process.exit(result.status ?? 1);
