/**
 * Vitest globalSetup for the workerd tests (runs in Node): migrates a template libSQL file once,
 * then serves a directory of databases over the libSQL HTTP protocol on loopback, where
 * `{libsqlUrl}/{name}/` is a database of its own, created on its first request as a copy of the
 * template. Each test file takes its own name (see `testEnv` in helpers.ts), so no test file sees
 * another's rows. `libsqlUrl` itself names no database: a request to it fails (404).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../db/migrate.ts';
import { startLibsqlServer } from '../../db/server/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    libsqlUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // The wrangler config names the site's build folder for static assets; tests don't need a build.
  mkdirSync(join(project.config.root, 'site', 'dist'), { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'truyxuat-worker-test-'));
  const template = join(dir, 'template.db');
  const migrator = await startLibsqlServer({ file: template, port: 0 });
  try {
    await migrateDatabase(migrator.url);
  } finally {
    await migrator.close();
  }
  const server = await startLibsqlServer({ directory: join(dir, 'databases'), template, port: 0 });
  project.provide('libsqlUrl', server.url);
  return async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
