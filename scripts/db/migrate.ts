/**
 * Prisma migrations without the native schema engine.
 *
 *   npm run db:migrate                   apply pending migrations (creates the database if missing)
 *   npm run db:migrate -- --create NAME [--from REF]
 *       write a new migration: the SQL that turns the schema committed at REF
 *       (default HEAD) into the working copy's prisma/schema.prisma
 *
 * It drives Prisma's own migration engine compiled to WebAssembly
 * (@prisma/schema-engine-wasm), so migrations keep Prisma's folder format and
 * `_prisma_migrations` history table: `prisma migrate deploy` accepts the same
 * folder where the native engine can be downloaded. See docs/adr/0001-stack.md.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { START_POSTGRES } from '@app/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

// Node's global WebAssembly (not in the ES lib typings).
declare const WebAssembly: {
  instantiate(bytes: Buffer, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

const ROOT = path.resolve(__dirname, '../..');
const SCHEMA_PATH = path.join(ROOT, 'prisma/schema.prisma');
const MIGRATIONS_DIR = path.join(ROOT, 'prisma/migrations');
const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/feedline';
const NO_FILTERS = { externalTables: [], externalEnums: [] };

interface SchemaEngine {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
}

async function loadEngine(databaseUrl: string): Promise<SchemaEngine> {
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
  // The package entry imports the .wasm as an ES module (needs a Node flag);
  // instantiating it with its JS glue as the import object does not.
  const glue = await import(path.join(dir, 'schema_engine_bg.js'));
  const wasm = await WebAssembly.instantiate(fs.readFileSync(path.join(dir, 'schema_engine_bg.wasm')), {
    './schema_engine_bg.js': glue,
  });
  glue.__wbg_set_wasm(wasm.instance.exports);
  (wasm.instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  const schema = fs.readFileSync(SCHEMA_PATH, 'utf8');
  const log = (line: string) => {
    if (process.env.MIGRATE_DEBUG) process.stderr.write(`${line}\n`);
  };
  return glue.SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, log, adapter);
}

function readMigrations() {
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  const dirs = fs.existsSync(MIGRATIONS_DIR)
    ? fs
        .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: {
      path: 'migration_lock.toml',
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: {
          tag: 'ok',
          value: fs.readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8'),
        },
      },
    })),
  };
}

/** Runs `work` on a connection to the server's maintenance database. */
async function withServer<T>(
  databaseUrl: string,
  work: (client: Client, name: string) => Promise<T>,
): Promise<T> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client, name);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the database named in the URL when it does not exist yet. */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  await withServer(databaseUrl, async (client, name) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    console.log(`created database ${name}`);
  });
}

/** The schema file as committed at a git ref, or null when it did not exist. */
function schemaAt(ref: string): string | null {
  try {
    return execFileSync('git', ['show', `${ref}:prisma/schema.prisma`], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch {
    return null;
  }
}

export async function deployMigrations(databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const engine = await loadEngine(databaseUrl);
  const { appliedMigrationNames } = await engine.applyMigrations({
    migrationsList: readMigrations(),
    filters: NO_FILTERS,
  });
  return appliedMigrationNames;
}

async function createMigration(databaseUrl: string, name: string, fromRef: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('migration name must match [a-z0-9_]+');
  await ensureDatabase(databaseUrl);
  // Datamodel-to-datamodel diff: the schema as committed at `fromRef` against
  // the working copy. (Replaying the history into a shadow database would need
  // pg_catalog's "char" type, which the pg driver adapter does not map.)
  const engine = await loadEngine(databaseUrl);
  const previous = schemaAt(fromRef);
  const current = fs.readFileSync(SCHEMA_PATH, 'utf8');
  const { stdout } = await engine.diff({
    from: previous
      ? { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: previous }] }
      : { tag: 'empty' },
    to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: current }] },
    script: true,
    shadowDatabaseUrl: null,
    exportToStdout: false,
    filters: NO_FILTERS,
  });
  const sql = (stdout ?? '').trim();
  if (!sql || sql === '-- This is an empty migration.') {
    console.log('schema and migrations agree: nothing to create');
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'migration.sql'), `${sql}\n`);
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  if (!fs.existsSync(lockPath)) {
    fs.writeFileSync(lockPath, '# Please do not edit this file manually\nprovider = "postgresql"\n');
  }
  console.log(`wrote ${path.relative(ROOT, dir)}/migration.sql`);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_URL;
  const createAt = process.argv.indexOf('--create');
  if (createAt >= 0) {
    const fromAt = process.argv.indexOf('--from');
    await createMigration(
      databaseUrl,
      process.argv[createAt + 1] ?? '',
      fromAt >= 0 ? process.argv[fromAt + 1] : 'HEAD',
    );
    return;
  }
  const applied = await deployMigrations(databaseUrl);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`db:migrate failed: ${message}`);
    if (/ECONNREFUSED/.test(message)) {
      console.error(`Is PostgreSQL running? e.g. ${START_POSTGRES}`);
    }
    process.exit(1);
  });
}
