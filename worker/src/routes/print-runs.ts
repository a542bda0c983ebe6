import { Hono } from 'hono';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { findProducer } from '../../../db/queries/catalog.ts';
import {
  createPrintRun,
  findPrintRun,
  listActivations,
  listAllocations,
  listPrintRuns,
} from '../../../db/queries/print-runs.ts';
import { STAMP_KINDS } from '../../../db/schema.ts';
import { derivePin, parseKeyring, signCode, signCodes, stampUrl, type Keyring } from '../domain/codes.ts';
import { LABELS_PER_PAGE, labelSheetSvg } from '../domain/label-sheet.ts';
import { qrSvg } from '../domain/qr.ts';
import type { AppEnv } from '../app-env.ts';
import { assertProducerAccess, isOfficial, requireUser } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { idField, idParam, idParams, singleLine, requireJson, validate } from '../http/validate.ts';

/** Largest print run, in stamps (one range row whatever the size). */
export const MAX_PRINT_RUN_QUANTITY = 1_000_000;
/** Rows signed and written per chunk of a streamed manifest. */
const MANIFEST_CHUNK_ROWS = 1000;

const createBody = z.strictObject({
  kind: z.enum(STAMP_KINDS),
  quantity: z.number().int().min(1).max(MAX_PRINT_RUN_QUANTITY),
  producerId: idField.optional(),
  note: singleLine(500).optional(),
});

const labelPages = (quantity: number) => Math.ceil(quantity / LABELS_PER_PAGE);

async function loadRun(c: { var: AppEnv['Variables'] }, runId: number) {
  const run = await findPrintRun(c.var.db, runId);
  if (!run) throw new ApiError('not_found', `No print run ${runId}`);
  const allocations = await listAllocations(c.var.db, [run.id]);
  if (!isOfficial(c.var.user) && !allocations.some((a) => a.producerId === c.var.user.producerId)) {
    // Do not reveal that another producer's run exists.
    throw new ApiError('not_found', `No print run ${runId}`);
  }
  return { run, allocations };
}

/** The manifest's header line: `serial,code,url`, plus `pin` for anti-counterfeit stamps. */
function manifestHeader(kind: string): string {
  return stringify([kind === 'anti_counterfeit' ? ['serial', 'code', 'url', 'pin'] : ['serial', 'code', 'url']]);
}

/**
 * Exact byte length of a manifest, computed before streaming it, or null if some field would need
 * CSV quoting (then the length is not known in advance). Each row is
 * `serial,code,url[,pin]\n` with an 18-symbol code and an 8-digit PIN; only the serial's number
 * of digits varies, so rows are summed per digit count.
 */
export function manifestLength(baseUrl: string, run: { kind: string; firstSerial: number; lastSerial: number }): number | null {
  const withPin = run.kind === 'anti_counterfeit';
  const header = manifestHeader(run.kind);
  const sampleCode = 'A'.repeat(18);
  const url = stampUrl(baseUrl, sampleCode);
  const sample = [run.firstSerial, sampleCode, url, ...(withPin ? ['00000000'] : [])];
  const naive = `${sample.join(',')}\n`;
  if (stringify([sample]) !== naive) return null;
  const fixed = naive.length - String(run.firstSerial).length; // ASCII only: characters = bytes
  if (new TextEncoder().encode(naive).length !== naive.length) return null;
  let total = header.length;
  for (let digits = String(run.firstSerial).length; digits <= String(run.lastSerial).length; digits++) {
    const from = Math.max(run.firstSerial, 10 ** (digits - 1));
    const to = Math.min(run.lastSerial, 10 ** digits - 1);
    if (to >= from) total += (to - from + 1) * (fixed + digits);
  }
  return total;
}

/** Streams the CSV manifest of serials [first, last]: `serial,code,url` (+ `pin` for anti-counterfeit). */
function manifestStream(keyring: Keyring, baseUrl: string, run: { kind: string; keyId: number; firstSerial: number; lastSerial: number }) {
  const withPin = run.kind === 'anti_counterfeit';
  const codes = signCodes(keyring, run.firstSerial, run.lastSerial - run.firstSerial + 1, run.keyId)[Symbol.asyncIterator]();
  let headerSent = false;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(manifestHeader(run.kind)));
        return;
      }
      const chunk: { serial: number; code: string }[] = [];
      while (chunk.length < MANIFEST_CHUNK_ROWS) {
        const next = await codes.next();
        if (next.done) break;
        chunk.push(next.value);
      }
      if (chunk.length === 0) {
        controller.close();
        return;
      }
      const pins = withPin ? await Promise.all(chunk.map(({ serial }) => derivePin(keyring, run.keyId, serial))) : [];
      const rows = chunk.map(({ serial, code }, i) => [serial, code, stampUrl(baseUrl, code), ...(withPin ? [pins[i]!] : [])]);
      controller.enqueue(encoder.encode(stringify(rows)));
    },
  });
}

/**
 * Print runs: issue (officials), list, detail, and what the printing house needs: the CSV
 * manifest, A4 label sheets and one QR per stamp.
 */
export const printRunRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .post('/', requireUser('admin', 'official'), requireJson, validate('json', createBody), async (c) => {
    const body = c.req.valid('json');
    if (body.producerId !== undefined && !(await findProducer(c.var.db, body.producerId))) {
      throw new ApiError('unprocessable_entity', `No producer ${body.producerId}`);
    }
    const keyring = await parseKeyring(c.env.STAMP_KEYS);
    const run = await createPrintRun(
      c.var.db,
      { ...body, keyId: keyring.active },
      { userId: c.var.user.id, requestId: c.var.requestId },
    );
    return c.json({ ...run, producerId: body.producerId ?? null, labelPages: labelPages(run.quantity) }, 201);
  })
  .get('/', async (c) => {
    const user = c.var.user;
    const runs = await listPrintRuns(c.var.db, isOfficial(user) ? {} : { producerId: user.producerId ?? -1 });
    const allocations = await listAllocations(c.var.db, runs.map((r) => r.id));
    const items = runs.map((r) => ({
      ...r,
      labelPages: labelPages(r.quantity),
      allocations: allocations.filter((a) => a.printRunId === r.id),
    }));
    return c.json({ items });
  })
  .get('/:id', validate('param', idParams), async (c) => {
    const { run, allocations } = await loadRun(c, c.req.valid('param').id);
    const activations = await listActivations(c.var.db, { printRunId: run.id });
    return c.json({ ...run, labelPages: labelPages(run.quantity), allocations, activations });
  })
  .get('/:id/manifest.csv', requireUser('admin', 'official'), validate('param', idParams), async (c) => {
    const { run } = await loadRun(c, c.req.valid('param').id);
    const keyring = await parseKeyring(c.env.STAMP_KEYS);
    // A known length lets every client tell a complete manifest from a cut one: the runtime enforces it.
    const length = manifestLength(c.env.PUBLIC_BASE_URL, run);
    const body = manifestStream(keyring, c.env.PUBLIC_BASE_URL, run);
    return new Response(length === null ? body : body.pipeThrough(new FixedLengthStream(length)), {
      headers: {
        ...(length === null ? {} : { 'content-length': String(length) }),
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="print-run-${run.id}.csv"`,
        'cache-control': 'no-store',
      },
    });
  })
  .get(
    '/:id/labels.svg',
    requireUser('admin', 'official'),
    validate('param', idParams),
    validate('query', z.object({ page: z.coerce.number().int().positive().max(1_000_000).default(1) })),
    async (c) => {
      const { run, allocations } = await loadRun(c, c.req.valid('param').id);
      const { page } = c.req.valid('query');
      const pages = labelPages(run.quantity);
      if (page > pages) throw new ApiError('not_found', `Print run ${run.id} has ${pages} label pages`);
      const keyring = await parseKeyring(c.env.STAMP_KEYS);
      const first = run.firstSerial + (page - 1) * LABELS_PER_PAGE;
      const last = Math.min(run.lastSerial, first + LABELS_PER_PAGE - 1);
      const labels = [];
      for await (const { serial, code } of signCodes(keyring, first, last - first + 1, run.keyId)) {
        labels.push({ serial, code, url: stampUrl(c.env.PUBLIC_BASE_URL, code) });
      }
      const owner = allocations[0]?.producerName;
      const title = `Đợt in #${run.id} · ${run.kind === 'qr' ? 'Tem truy xuất QR' : 'Tem chống giả'}${owner ? ` · ${owner}` : ''}`;
      return c.body(labelSheetSvg({ title, labels, page, pages, pageLabel: 'Trang', rangeLabel: 'Sê-ri' }), 200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'content-disposition': `inline; filename="print-run-${run.id}-labels-${page}.svg"`,
        'cache-control': 'no-store',
      });
    },
  )
  .get(
    '/:id/stamps/:serial/qr.svg',
    // The serial parses like an id; the print run's range bounds it below.
    validate('param', idParams.extend({ serial: idParam })),
    async (c) => {
      const { id: runId, serial } = c.req.valid('param');
      const { run, allocations } = await loadRun(c, runId);
      if (serial < run.firstSerial || serial > run.lastSerial) {
        throw new ApiError('not_found', `Serial ${serial} is not in print run ${run.id}`);
      }
      if (!isOfficial(c.var.user)) {
        const mine = allocations.find((a) => a.firstSerial <= serial && serial <= a.lastSerial);
        assertProducerAccess(c.var.user, mine?.producerId ?? -1);
      }
      const keyring = await parseKeyring(c.env.STAMP_KEYS);
      const code = await signCode(keyring, serial, run.keyId);
      return c.body(qrSvg(stampUrl(c.env.PUBLIC_BASE_URL, code)), 200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'cache-control': 'no-store',
      });
    },
  );
