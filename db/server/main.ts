/**
 * CLI for the local libSQL server.
 *
 *   npx tsx db/server/main.ts --file .data/truyxuat.db --port 8080 [--host 127.0.0.1] [--auth-token TOKEN]
 *   npx tsx db/server/main.ts --directory .data/dbs [--template migrated.db] ...   (one database per /{name}/)
 *
 * Prints the URL to use as the libSQL URL and runs until SIGINT/SIGTERM, then closes cleanly
 * (open transactions are rolled back). `LIBSQL_AUTH_TOKEN` may be used instead of `--auth-token`.
 */
import { parseArgs } from 'node:util';
import { startLibsqlServer } from './index.ts';

const usage =
  'Usage: tsx db/server/main.ts (--file <db file> | --directory <folder> [--template <db file>]) [--port 8080] [--host 127.0.0.1] [--auth-token <token>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      directory: { type: 'string' },
      template: { type: 'string' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'auth-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const layouts = (values.file === undefined ? 0 : 1) + (values.directory === undefined ? 0 : 1);
  if (values.help || layouts !== 1 || (values.template !== undefined && values.directory === undefined)) {
    console.log(usage);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port: ${values.port}`);

  const settings = { host: values.host, port, authToken: values['auth-token'] ?? process.env.LIBSQL_AUTH_TOKEN };
  const server = await startLibsqlServer(
    values.directory === undefined ? { ...settings, file: values.file! } : { ...settings, directory: values.directory, template: values.template },
  );
  console.log(
    values.directory === undefined
      ? `libSQL server for ${values.file} listening on ${server.url}`
      : `libSQL server for the databases in ${values.directory} listening on ${server.url}/{name}/`,
  );

  const stop = (signal: string): void => {
    console.log(`${signal} received, closing`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
