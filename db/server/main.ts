/**
 * CLI for the local libSQL server.
 *
 *   npx tsx db/server/main.ts --file .data/truyxuat.db --port 8080 [--host 127.0.0.1] [--auth-token TOKEN]
 *
 * Prints the URL to use as the libSQL URL and runs until SIGINT/SIGTERM, then closes cleanly
 * (open transactions are rolled back). `LIBSQL_AUTH_TOKEN` may be used instead of `--auth-token`.
 */
import { parseArgs } from 'node:util';
import { startLibsqlServer } from './index.ts';

const usage = 'Usage: tsx db/server/main.ts --file <db file> [--port 8080] [--host 127.0.0.1] [--auth-token <token>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'auth-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || values.file === undefined) {
    console.log(usage);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port: ${values.port}`);

  const server = await startLibsqlServer({
    file: values.file,
    host: values.host,
    port,
    authToken: values['auth-token'] ?? process.env.LIBSQL_AUTH_TOKEN,
  });
  console.log(`libSQL server for ${values.file} listening on ${server.url}`);

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
