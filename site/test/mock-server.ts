/**
 * A stand-in for the Worker, for developing and testing the admin site on its own.
 *
 * Serves `site/dist` and an in-memory fake of the admin JSON API contract the site uses
 * (`/api/auth/*`, producers, products, batches, print runs with manifest and label sheets,
 * activations) plus a minimal `/s/{code}` scan page carrying `data-verdict` and
 * `data-scan-count`. It is NOT the backend: codes are not signed, nothing is persisted.
 *
 * Run: `npx astro build --root site && MOCK_PASSWORD=secret npx tsx site/test/mock-server.ts`
 * (PORT defaults to 8788), then `E2E_BASE_URL=http://127.0.0.1:8788 E2E_PASSWORD=secret
 * npx vitest run --project e2e`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode-svg';

const PORT = Number(process.env.PORT ?? 8788);
const EMAIL = process.env.MOCK_EMAIL ?? 'admin@localhost';
const PASSWORD = process.env.MOCK_PASSWORD ?? 'e2e-pass-123';
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const LABELS_PER_PAGE = 40;

type Json = Record<string, unknown>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const user = { id: 1, email: EMAIL, name: 'Nguyễn Văn Quản Trị', role: 'admin', producerId: null };
const sessions = new Set<string>();
const now = () => new Date().toISOString();

const producers = [
  {
    id: 1,
    kind: 'cooperative',
    name: 'Hợp tác xã Nông nghiệp Đầm Hà, Quảng Ninh',
    taxCode: '5701234567',
    address: 'Thôn Tân Hợp',
    province: 'Quảng Ninh',
    district: 'Đầm Hà',
    gln: '8930000000017',
    phone: '0203 3888 123',
    distributionArea: 'Quảng Ninh, Hà Nội',
    createdAt: '2025-01-15T02:00:00Z',
  },
  {
    id: 2,
    kind: 'enterprise',
    name: 'Công ty TNHH Chả mực Hạ Long',
    taxCode: '5701112223',
    address: '12 Đường Hạ Long, phường Bãi Cháy',
    province: 'Quảng Ninh',
    district: 'Hạ Long',
    gln: null,
    phone: '0912 345 678',
    distributionArea: 'Toàn quốc',
    createdAt: '2025-02-03T02:00:00Z',
  },
  {
    id: 3,
    kind: 'household_business',
    name: 'Hộ kinh doanh Trà hoa vàng Ba Chẽ',
    taxCode: null,
    address: 'Xã Thanh Sơn',
    province: 'Quảng Ninh',
    district: 'Ba Chẽ',
    gln: null,
    phone: null,
    distributionArea: null,
    createdAt: '2025-03-20T02:00:00Z',
  },
];

const products = [
  { id: 1, producerId: 1, name: 'Gà Tiên Yên', gtin: '08930000000123', category: 'farm', ocopStars: 4, imageUrl: null, description: 'Gà đồi thả vườn' },
  { id: 2, producerId: 2, name: 'Chả mực Hạ Long', gtin: '08930000000246', category: 'fishery', ocopStars: 5, imageUrl: null, description: 'Giã tay truyền thống' },
  { id: 3, producerId: 3, name: 'Trà hoa vàng Ba Chẽ', gtin: null, category: 'forest', ocopStars: 3, imageUrl: null, description: null },
].map((p) => ({ ...p, producerName: producers.find((x) => x.id === p.producerId)!.name }));

const batches = [
  { id: 1, producerId: 1, productId: 1, lotCode: 'GTY-2025-001', productionDate: '2025-05-01', expiryDate: '2025-05-10', quantity: 500, unit: 'con' },
  { id: 2, producerId: 2, productId: 2, lotCode: 'CM-250601', productionDate: '2025-06-01', expiryDate: '2025-12-01', quantity: 1200, unit: 'hộp' },
  { id: 3, producerId: 3, productId: 3, lotCode: 'THV-25-07', productionDate: '2025-07-01', expiryDate: null, quantity: null, unit: null },
].map((b) => ({ ...b, productName: products.find((p) => p.id === b.productId)!.name }));

interface Allocation { producerId: number; producerName: string; firstSerial: number; lastSerial: number }
interface Activation { id: number; printRunId: number; batchId: number; lotCode: string; productName: string; firstSerial: number; lastSerial: number; createdAt: string }
interface PrintRun { id: number; kind: string; firstSerial: number; lastSerial: number; quantity: number; createdAt: string; labelPages: number; allocations: Allocation[] }

const printRuns: PrintRun[] = [];
const activations: Activation[] = [];
const scans = new Map<number, number>();
let nextSerial = 100001;

function codeFor(serial: number): string {
  return 'MOCK' + serial.toString(32).toUpperCase().padStart(8, '0');
}
function serialFor(code: string): number | null {
  const m = /^MOCK([0-9A-V]{8})$/i.exec(code);
  return m ? parseInt(m[1]!, 32) : null;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}
function json(res: ServerResponse, status: number, body: Json) {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (v && typeof v === 'object') return v as Json;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'bad_request', 'Dữ liệu gửi lên không hợp lệ.');
}

function sessionOf(req: IncomingMessage): string | null {
  const m = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '');
  return m && sessions.has(m[1]!) ? m[1]! : null;
}

function baseUrl(req: IncomingMessage): string {
  return `http://${req.headers.host ?? `127.0.0.1:${PORT}`}`;
}

function labelsSvg(req: IncomingMessage, run: PrintRun, page: number): string {
  const cols = 5;
  const cell = 40; // mm
  const first = run.firstSerial + (page - 1) * LABELS_PER_PAGE;
  const last = Math.min(run.lastSerial, first + LABELS_PER_PAGE - 1);
  const parts: string[] = [];
  for (let s = first; s <= last; s++) {
    const i = s - first;
    const x = 5 + (i % cols) * cell;
    const y = 5 + Math.floor(i / cols) * (cell - 4);
    const qr = new QRCode({ content: `${baseUrl(req)}/S/${codeFor(s)}`, padding: 2, width: 28, height: 28, join: true, container: 'none', xmlDeclaration: false, ecl: 'M' });
    parts.push(`<g transform="translate(${x + 6} ${y})">${qr.svg({ container: 'none' })}</g>`);
    parts.push(`<text x="${x + 20}" y="${y + 31}" font-size="3" text-anchor="middle" font-family="monospace">${s}</text>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297"><rect width="210" height="297" fill="#fff"/>${parts.join('')}</svg>`;
}

function scanPage(serial: number | null): string {
  let verdict = 'invalid';
  let count = 0;
  if (serial !== null) {
    const run = printRuns.find((r) => serial >= r.firstSerial && serial <= r.lastSerial);
    const act = activations.find((a) => serial >= a.firstSerial && serial <= a.lastSerial);
    if (!run) verdict = 'unknown_serial';
    else {
      count = (scans.get(serial) ?? 0) + 1;
      scans.set(serial, count);
      verdict = act ? 'genuine' : 'not_activated';
    }
  }
  const title = verdict === 'genuine' ? 'Tem chính hãng' : 'Tem chưa được xác thực';
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${title}</title></head><body><main data-verdict="${verdict}" data-scan-count="${count}"><h1>${title}</h1><p>Đây là lần quét thứ ${count}.</p></main></body></html>`;
}

async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname;

  if (path === '/api/auth/login' && method === 'POST') {
    const body = await readJson(req);
    if (body.email !== EMAIL || body.password !== PASSWORD) {
      throw new HttpError(401, 'unauthorized', 'Invalid email or password.');
    }
    const token = Math.random().toString(36).slice(2);
    sessions.add(token);
    res.setHeader('Set-Cookie', `session=${token}; HttpOnly; Path=/; SameSite=Lax`);
    return json(res, 200, { token, user });
  }

  const session = sessionOf(req);
  if (!session) throw new HttpError(401, 'unauthorized', 'Chưa đăng nhập.');

  if (path === '/api/auth/logout' && method === 'POST') {
    sessions.delete(session);
    res.writeHead(204, { 'Set-Cookie': 'session=; Path=/; Max-Age=0' });
    return void res.end();
  }
  if (path === '/api/auth/me') return json(res, 200, { user });
  if (path === '/api/producers') return json(res, 200, { items: producers });
  if (path === '/api/products') return json(res, 200, { items: products });
  if (path === '/api/batches') return json(res, 200, { items: batches });
  if (path === '/api/activations' && method === 'GET') return json(res, 200, { items: [...activations].reverse() });

  if (path === '/api/print-runs' && method === 'GET') return json(res, 200, { items: [...printRuns].reverse() });
  if (path === '/api/print-runs' && method === 'POST') {
    const body = await readJson(req);
    const quantity = Number(body.quantity);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1_000_000) {
      throw new HttpError(400, 'bad_request', 'Số lượng tem phải từ 1 đến 1.000.000.');
    }
    if (body.kind !== 'qr' && body.kind !== 'anti_counterfeit') throw new HttpError(400, 'bad_request', 'Loại tem không hợp lệ.');
    const producer = body.producerId === undefined ? null : producers.find((p) => p.id === body.producerId);
    if (producer === undefined) throw new HttpError(422, 'unprocessable_entity', 'Không tìm thấy cơ sở sản xuất.');
    const run: PrintRun = {
      id: printRuns.length + 1,
      kind: body.kind,
      firstSerial: nextSerial,
      lastSerial: nextSerial + quantity - 1,
      quantity,
      createdAt: now(),
      labelPages: Math.ceil(quantity / LABELS_PER_PAGE),
      allocations: [],
    };
    nextSerial += quantity;
    if (producer) run.allocations.push({ producerId: producer.id, producerName: producer.name, firstSerial: run.firstSerial, lastSerial: run.lastSerial });
    printRuns.push(run);
    const { allocations: _a, createdAt: _c, ...rest } = run;
    return json(res, 201, { ...rest, producerId: producer?.id ?? null });
  }

  const m = /^\/api\/print-runs\/(\d+)(\/manifest\.csv|\/labels\.svg)?$/.exec(path);
  if (m && method === 'GET') {
    const run = printRuns.find((r) => r.id === Number(m[1]));
    if (!run) throw new HttpError(404, 'not_found', 'Không tìm thấy đợt in.');
    if (m[2] === '/manifest.csv') {
      const lines = ['serial,code,url'];
      for (let s = run.firstSerial; s <= run.lastSerial; s++) lines.push(`${s},${codeFor(s)},${baseUrl(req)}/S/${codeFor(s)}`);
      return send(res, 200, lines.join('\r\n') + '\r\n', 'text/csv; charset=utf-8', {
        'Content-Disposition': `attachment; filename="print-run-${run.id}.csv"`,
      });
    }
    if (m[2] === '/labels.svg') {
      const page = Number(url.searchParams.get('page') ?? '1');
      if (!Number.isInteger(page) || page < 1 || page > run.labelPages) throw new HttpError(400, 'bad_request', 'Trang không hợp lệ.');
      return send(res, 200, labelsSvg(req, run, page), 'image/svg+xml; charset=utf-8');
    }
    return json(res, 200, { ...run, activations: activations.filter((a) => a.printRunId === run.id) });
  }

  if (path === '/api/activations' && method === 'POST') {
    const body = await readJson(req);
    const run = printRuns.find((r) => r.id === body.printRunId);
    const batch = batches.find((b) => b.id === body.batchId);
    const first = Number(body.firstSerial);
    const last = Number(body.lastSerial);
    if (!run || !batch || !Number.isInteger(first) || !Number.isInteger(last) || last < first) {
      throw new HttpError(400, 'bad_request', 'Dữ liệu kích hoạt không hợp lệ.');
    }
    const inAllocation = run.allocations.some((a) => a.producerId === batch.producerId && first >= a.firstSerial && last <= a.lastSerial);
    if (!inAllocation) throw new HttpError(422, 'unprocessable_entity', 'Dải tem không nằm trong phần được cấp phát cho cơ sở của lô hàng này.');
    if (activations.some((a) => first <= a.lastSerial && last >= a.firstSerial)) {
      throw new HttpError(409, 'conflict', 'Dải tem này trùng với một dải đã được kích hoạt.');
    }
    const act: Activation = { id: activations.length + 1, printRunId: run.id, batchId: batch.id, lotCode: batch.lotCode, productName: batch.productName, firstSerial: first, lastSerial: last, createdAt: now() };
    activations.push(act);
    return json(res, 201, { id: act.id, printRunId: run.id, batchId: batch.id, firstSerial: first, lastSerial: last });
  }

  throw new HttpError(404, 'not_found', 'Không tìm thấy.');
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
  let rel = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  if (rel.endsWith('/')) rel += 'index.html';
  const file = join(DIST, rel);
  if (!file.startsWith(DIST)) return send(res, 404, 'Not found', 'text/plain');
  try {
    const s = await stat(file);
    if (s.isDirectory()) {
      res.writeHead(308, { Location: pathname + '/' });
      return void res.end();
    }
    send(res, 200, await readFile(file), types[extname(file)] ?? 'application/octet-stream');
  } catch {
    send(res, 404, 'Not found', 'text/plain');
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', baseUrl(req));
  try {
    if (url.pathname === '/healthz') return json(res, 200, { ok: true });
    if (url.pathname.startsWith('/api/')) return await handleApi(req, res, url);
    const scan = /^\/s\/([^/]+)$/i.exec(url.pathname);
    if (scan) return send(res, 200, scanPage(serialFor(scan[1]!)), 'text/html; charset=utf-8');
    return await serveStatic(res, url.pathname);
  } catch (err) {
    const e = err instanceof HttpError ? err : new HttpError(500, 'internal_error', 'Lỗi máy chủ.');
    if (!(err instanceof HttpError)) console.error(err);
    json(res, e.status, { error: { code: e.code, message: e.message, requestId: 'mock-' + Date.now().toString(36) } });
  }
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`mock admin server on http://127.0.0.1:${PORT}`);
});
