import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI (generate, studio). Migrations run through
// scripts/db/migrate.ts because the native schema engine cannot be
// downloaded on every machine (see docs/adr/0001-stack.md).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/feedline',
  },
});
