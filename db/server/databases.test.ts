/**
 * The local libSQL server's directory layout: one database file per URL path prefix, created on
 * first use as a copy of a template (how the workerd test files each get their own database).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, LibsqlError } from '@libsql/client/web';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'libsql-server-databases-'));
const template = join(dir, 'template.db');
const databases = join(dir, 'databases');
let server: LibsqlServer;

beforeAll(async () => {
  // The template is in use (and in WAL mode) while copies are made of it.
  const seeder = await startLibsqlServer({ file: template });
  const client = createClient({ url: seeder.url });
  await client.executeMultiple(`
    CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
    INSERT INTO notes (text) VALUES ('from the template');
  `);
  client.close();
  server = await startLibsqlServer({ directory: databases, template });
  afterAll(() => seeder.close());
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const notes = async (url: string) => {
  const client = createClient({ url });
  try {
    return (await client.execute('SELECT text FROM notes ORDER BY id')).rows.map((r) => r.text);
  } finally {
    client.close();
  }
};

describe('a directory of databases', () => {
  it('gives each name its own file, starting as a copy of the template', async () => {
    const a = createClient({ url: `${server.url}/file-a/` });
    const b = createClient({ url: `${server.url}/file-b/` });
    try {
      await a.execute({ sql: 'INSERT INTO notes (text) VALUES (?)', args: ['only in a'] });
      await b.batch([{ sql: 'INSERT INTO notes (text) VALUES (?)', args: ['only in b'] }], 'write');
      const tx = await b.transaction('write');
      await tx.execute("DELETE FROM notes WHERE text = 'from the template'");
      await tx.commit();
    } finally {
      a.close();
      b.close();
    }
    expect(await notes(`${server.url}/file-a/`)).toEqual(['from the template', 'only in a']);
    expect(await notes(`${server.url}/file-b/`)).toEqual(['only in b']);
    expect(await notes(`${server.url}/file-c/`)).toEqual(['from the template']);
    expect(readdirSync(databases).filter((f) => f.endsWith('.db')).sort()).toEqual(['file-a.db', 'file-b.db', 'file-c.db']);

    const file = new Database(join(databases, 'file-a.db'));
    try {
      expect(file.prepare('SELECT text FROM notes ORDER BY id').raw(true).all([])).toEqual([['from the template'], ['only in a']]);
      expect(file.prepare('PRAGMA journal_mode').raw(true).get([])).toEqual(['wal']);
    } finally {
      file.close();
    }
    // The template itself is never written to.
    expect(await notes(`${server.url}/template-check/`)).toEqual(['from the template']);
  });

  it('refuses a baton of one database on another', async () => {
    const pipeline = async (name: string, body: unknown) => {
      const res = await fetch(`${server.url}/${name}/v3/pipeline`, { method: 'POST', body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as any };
    };
    const opened = await pipeline('baton-a', { requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }] });
    expect(opened.status).toBe(200);
    const elsewhere = await pipeline('baton-b', { baton: opened.body.baton, requests: [{ type: 'close' }] });
    expect(elsewhere).toMatchObject({ status: 400, body: { code: 'BATON_INVALID' } });
    expect((await pipeline('baton-a', { baton: opened.body.baton, requests: [{ type: 'close' }] })).body.baton).toBeNull();
  });

  it('answers paths that name no database with 404, creating nothing', async () => {
    const before = readdirSync(databases).sort();
    for (const path of ['/v3/pipeline', '/v2/pipeline', '/bad.name/v3/pipeline', `/${'x'.repeat(65)}/v3/pipeline`, '/file-a/v9/pipeline']) {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', body: '{"requests":[]}' });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('NOT_FOUND');
    }
    const hint = await fetch(`${server.url}/v3/pipeline`, { method: 'POST', body: '{"requests":[]}' });
    expect(((await hint.json()) as { message: string }).message).toBe(
      'No endpoint POST /v3/pipeline (this server serves a directory of databases: /{name}/v3/pipeline)',
    );
    expect((await fetch(`${server.url}/probe-only/v3`)).status).toBe(200);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(readdirSync(databases).sort()).toEqual(before);
  });

  it('creates nothing for a request without the bearer token', async () => {
    const secured = await startLibsqlServer({ directory: join(dir, 'secured'), template, authToken: 'secret-token' });
    try {
      const refused = await createClient({ url: `${secured.url}/intruder/` }).execute('SELECT 1').catch((e: unknown) => e);
      expect((refused as LibsqlError).code).toBe('UNAUTHORIZED');
      expect(existsSync(join(dir, 'secured', 'intruder.db'))).toBe(false);
      const allowed = createClient({ url: `${secured.url}/member/`, authToken: 'secret-token' });
      expect((await allowed.execute('SELECT count(*) AS n FROM notes')).rows[0]?.n).toBe(1);
      allowed.close();
    } finally {
      await secured.close();
    }
  });

  it('starts databases empty without a template, and refuses a missing template', async () => {
    const plain = await startLibsqlServer({ directory: join(dir, 'plain') });
    try {
      const client = createClient({ url: `${plain.url}/empty/` });
      expect((await client.execute("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'")).rows[0]?.n).toBe(0);
      client.close();
    } finally {
      await plain.close();
    }
    await expect(startLibsqlServer({ directory: join(dir, 'none'), template: join(dir, 'missing.db') })).rejects.toThrow(/does not exist/);
  });
});
