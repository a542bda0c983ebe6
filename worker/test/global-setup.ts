/**
 * Vitest globalSetup for the workerd tests (runs in Node): serves a fresh libSQL file over the
 * libSQL HTTP protocol on loopback, migrates it, and provides its URL to the Worker's bindings.
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
  const server = await startLibsqlServer({ file: join(dir, 'test.db'), port: 0 });
  await migrateDatabase(server.url);
  project.provide('libsqlUrl', server.url);
  return async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
