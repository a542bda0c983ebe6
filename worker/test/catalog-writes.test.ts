import { eq, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it, vi } from 'vitest';
import { auditLog, batches, certificates, producers, products } from '../../db/schema.ts';
import { gs1CheckDigit } from '../src/domain/gs1.ts';
import { addDays, vietnamToday } from '../src/domain/dates.ts';
import { call, issuePrintRun, makeGtin, makeProduct, makeProducer, makeUser, manifestRows, testDb, unique } from './helpers.ts';

type ErrorBody = { error: { code: string; message: string; requestId: string } };
type Json = Record<string, unknown>;

const today = () => vietnamToday(Date.now());
const post = (path: string, token: string, json: unknown) => call(path, { method: 'POST', token, json });

/** A valid, fresh tax code: 10 digits under Quảng Ninh's 57 prefix. */
const makeTaxCode = () => `57${String(unique()).padStart(8, '0').slice(-8)}`;
/** A valid, fresh GLN under Vietnam's 893 prefix. */
function makeGln(): string {
  const body = `893${String(unique()).padStart(9, '0').slice(-9)}`;
  return `${body}${gs1CheckDigit(body)}`;
}
/** `s` with its last digit changed: a wrong GS1 check digit. */
const wrongCheckDigit = (s: string) => s.slice(0, -1) + String((Number(s.at(-1)) + 1) % 10);

async function count(table: SQLiteTable, where: SQL | undefined): Promise<number> {
  const [row] = await testDb().select({ n: sql<number>`count(*)` }).from(table).where(where);
  return Number(row!.n);
}

/** Audit rows written by one request. */
const auditRows = (requestId: string) => testDb().select().from(auditLog).where(eq(auditLog.requestId, requestId));

/**
 * Sends `body` as `token`, expects the error `status`/`code`/`message`, and checks that neither the
 * rows `marker` counts nor the audit log changed.
 */
async function expectRefused(
  path: string,
  token: string,
  body: unknown,
  expected: { status: number; code: string; message: string },
  marker: { table: SQLiteTable; where: SQL | undefined },
) {
  const before = await count(marker.table, marker.where);
  const res = await post(path, token, body);
  const answer = (await res.json()) as ErrorBody;
  expect({ status: res.status, code: answer.error.code, message: answer.error.message }).toEqual(expected);
  expect(answer.error.requestId).toEqual(expect.any(String));
  expect(await count(marker.table, marker.where)).toBe(before);
  expect(await auditRows(answer.error.requestId)).toEqual([]);
}

const unprocessable = (message: string) => ({ status: 422, code: 'unprocessable_entity', message });

// ---------------------------------------------------------------------------------------------

function producerInput(overrides: Json = {}): Json {
  return {
    kind: 'cooperative',
    name: `Hợp tác xã Thủy sản Vân Đồn ${unique()}`,
    taxCode: makeTaxCode(),
    address: 'Thôn Đông Trung, xã Đông Xá',
    province: 'Quảng Ninh',
    ...overrides,
  };
}

describe('POST /api/producers', () => {
  it('registers a producer (NFC text, normalized tax code, provinces joined) with an audit row', async () => {
    const official = await makeUser('official');
    const n = unique();
    const gln = makeGln();
    const taxCode = `${makeTaxCode()}001`;
    const res = await post('/api/producers', official.token, {
      kind: 'enterprise',
      name: `  Công ty Cổ phần Chả mực Hạ Long ${n}  `.normalize('NFD'),
      taxCode,
      address: 'Số 12 đường Trần Quốc Nghiễn, phường Hồng Hải'.normalize('NFD'),
      province: 'Quảng Ninh',
      district: 'Hạ Long',
      gln,
      phone: '0203 3825 618',
      distributionArea: ['Quảng Ninh', 'Hà Nội'.normalize('NFD'), 'Quảng Ninh'],
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Json & { id: number };
    expect(created).toMatchObject({
      kind: 'enterprise',
      name: `Công ty Cổ phần Chả mực Hạ Long ${n}`,
      taxCode: `${taxCode.slice(0, 10)}-${taxCode.slice(10)}`,
      address: 'Số 12 đường Trần Quốc Nghiễn, phường Hồng Hải',
      district: 'Hạ Long',
      gln,
      distributionArea: 'Quảng Ninh,Hà Nội',
    });
    const [stored] = await testDb().select().from(producers).where(eq(producers.id, created.id));
    expect(stored!.name).toBe(`Công ty Cổ phần Chả mực Hạ Long ${n}`.normalize('NFC'));
    expect(stored!.name).not.toBe(stored!.name.normalize('NFD'));

    const audit = await testDb().select().from(auditLog).where(eq(auditLog.entityId, String(created.id)));
    expect(audit.filter((a) => a.entity === 'producer').map((a) => [a.action, a.userId])).toEqual([['producer.create', official.user.id]]);
    const list = (await (await call('/api/producers', { token: official.token })).json()) as { items: { id: number }[] };
    expect(list.items.map((p) => p.id)).toContain(created.id);
  });

  it('takes the smallest body: optional fields stay empty', async () => {
    const official = await makeUser('admin');
    const input = producerInput();
    const res = await post('/api/producers', official.token, input);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ ...input, district: null, gln: null, phone: null, distributionArea: null });
  });

  it('refuses a tax code or GLN already registered (409), in either spelling of a 13-digit tax code', async () => {
    const official = await makeUser('official');
    const taxCode = `${makeTaxCode()}-002`;
    const gln = makeGln();
    expect((await post('/api/producers', official.token, producerInput({ taxCode, gln }))).status).toBe(201);
    const marker = { table: producers, where: or(eq(producers.taxCode, taxCode), eq(producers.gln, gln)) };
    await expectRefused('/api/producers', official.token, producerInput({ taxCode: taxCode.replace('-', '') }), {
      status: 409,
      code: 'conflict',
      message: 'A producer with this tax code is already registered',
    }, marker);
    await expectRefused('/api/producers', official.token, producerInput({ gln }), {
      status: 409,
      code: 'conflict',
      message: 'A producer with this GLN is already registered',
    }, marker);
  });

  it('is for officials only', async () => {
    const producer = await makeProducer();
    const enterprise = await makeUser('enterprise', producer.id);
    const input = producerInput();
    await expectRefused('/api/producers', enterprise.token, input, { status: 403, code: 'forbidden', message: 'Your role may not do this' }, {
      table: producers,
      where: eq(producers.taxCode, input.taxCode as string),
    });
  });

  it.each<[string, Json, string]>([
    ['a tax code of 9 digits', { taxCode: '570186234' }, 'taxCode: must be a Vietnamese tax code: 10 digits, or 13 written 0101234567-001'],
    ['a tax code with letters', { taxCode: 'MST5701862' }, 'taxCode: must be a Vietnamese tax code: 10 digits, or 13 written 0101234567-001'],
    ['a GLN with a wrong check digit', { gln: wrongCheckDigit('8936084100010') }, 'gln: must be a 13-digit GLN with a correct GS1 check digit'],
    ['a GLN of 12 digits', { gln: '893608410001' }, 'gln: must be a 13-digit GLN with a correct GS1 check digit'],
    ['an unknown kind', { kind: 'company' }, 'kind: Invalid option: expected one of "enterprise"|"cooperative"|"household_business"'],
    ['an empty name', { name: '   ' }, 'name: must not be empty'],
    ['a name with a control character', { name: 'Hợp tác xã\u0007 Vân Đồn' }, 'name: must not contain control characters'],
    ['an address with a bidi override', { address: 'Thôn \u202eĐông' }, 'address: must not contain control characters'],
    ['a phone with letters', { phone: 'gọi 0203' }, 'phone: may hold only digits, spaces and + ( ) . -'],
    ['distribution area as text', { distributionArea: 'Quảng Ninh,Hà Nội' }, 'distributionArea: Invalid input: expected array, received string'],
    ['an empty distribution area', { distributionArea: [] }, 'distributionArea: Too small: expected array to have >=1 items'],
    ['a province with a comma', { distributionArea: ['Quảng Ninh, Hà Nội'] }, 'distributionArea.0: must not contain a comma'],
    ['a name as a number', { name: 42 }, 'name: Invalid input: expected string, received number'],
    ['a missing province', { province: undefined }, 'province: Invalid input: expected string, received undefined'],
    ['an extra field', { id: 1 }, 'Unrecognized key: "id"'],
  ])('refuses %s (422) and changes nothing', async (_name, change, message) => {
    const official = await makeUser('official');
    const input = producerInput(change);
    const base = producerInput();
    const where = or(eq(producers.name, String(input.name)), eq(producers.taxCode, String(input.taxCode ?? base.taxCode)));
    await expectRefused('/api/producers', official.token, input, unprocessable(message), { table: producers, where });
  });
});

// ---------------------------------------------------------------------------------------------

function productInput(producerId: number, overrides: Json = {}): Json {
  return { producerId, name: `Nước mắm Cái Rồng ${unique()}`, gtin: makeGtin(), category: 'fishery', ...overrides };
}

describe('POST /api/products', () => {
  it('registers a product for any producer (officials), with an audit row', async () => {
    const producer = await makeProducer();
    const official = await makeUser('official');
    const n = unique();
    const gtin12 = (() => {
      const body = String(unique()).padStart(11, '0').slice(-11);
      return `${body}${gs1CheckDigit(body)}`;
    })();
    const res = await post('/api/products', official.token, {
      producerId: producer.id,
      name: `Sá sùng khô Vân Đồn ${n}`.normalize('NFD'),
      gtin: gtin12,
      category: 'fishery',
      ocopStars: 5,
      imageUrl: '/images/sa-sung.svg',
      description: 'Sá sùng tự nhiên,\nphơi khô truyền thống.'.normalize('NFD'),
      shelfLifeDays: 365,
      standards: 'TCVN 5649:2006',
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Json & { id: number };
    expect(created).toMatchObject({
      producerId: producer.id,
      name: `Sá sùng khô Vân Đồn ${n}`,
      gtin: gtin12,
      ocopStars: 5,
      description: 'Sá sùng tự nhiên,\nphơi khô truyền thống.',
      shelfLifeDays: 365,
    });
    const [stored] = await testDb().select().from(products).where(eq(products.id, created.id));
    expect(stored!.gtin).toBe(gtin12); // as given, not padded to 14 digits
    const audit = await testDb().select().from(auditLog).where(eq(auditLog.entityId, String(created.id)));
    expect(audit.filter((a) => a.entity === 'product').map((a) => a.action)).toEqual(['product.create']);
  });

  it('lets an enterprise user register products of its own producer only', async () => {
    const own = await makeProducer();
    const other = await makeProducer();
    const enterprise = await makeUser('enterprise', own.id);
    const ok = await post('/api/products', enterprise.token, productInput(own.id, { imageUrl: 'https://cdn.quangninh.gov.vn/a.jpg' }));
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { producerId: number }).producerId).toBe(own.id);
    for (const producerId of [other.id, 987654321]) {
      await expectRefused('/api/products', enterprise.token, productInput(producerId), { status: 404, code: 'not_found', message: `No producer ${producerId}` }, {
        table: products,
        where: eq(products.producerId, producerId),
      });
    }
  });

  it('refuses a GTIN already registered (409), also written with leading zeros', async () => {
    const producer = await makeProducer();
    const official = await makeUser('official');
    const gtin = makeGtin();
    expect((await post('/api/products', official.token, productInput(producer.id, { gtin }))).status).toBe(201);
    for (const spelling of [gtin, `0${gtin}`]) {
      await expectRefused('/api/products', official.token, productInput(producer.id, { gtin: spelling }), {
        status: 409,
        code: 'conflict',
        message: 'A product with this GTIN is already registered',
      }, { table: products, where: eq(products.producerId, producer.id) });
    }
  });

  it('answers an unknown producer with 422 for officials', async () => {
    const official = await makeUser('official');
    await expectRefused('/api/products', official.token, productInput(987654321), unprocessable('No producer 987654321'), {
      table: products,
      where: eq(products.producerId, 987654321),
    });
  });

  it.each<[string, (gtin: string) => Json, string]>([
    ['a GTIN-13 with a wrong check digit', (g) => ({ gtin: wrongCheckDigit(g) }), 'gtin: must be a GTIN-8, -12, -13 or -14 with a correct GS1 check digit'],
    ['a GTIN of 11 digits', (g) => ({ gtin: g.slice(0, 11) }), 'gtin: must be a GTIN-8, -12, -13 or -14 with a correct GS1 check digit'],
    ['a GTIN with a space', (g) => ({ gtin: `${g.slice(0, 6)} ${g.slice(6)}` }), 'gtin: must be a GTIN-8, -12, -13 or -14 with a correct GS1 check digit'],
    ['a GTIN of 15 digits', (g) => ({ gtin: `00${g}` }), 'gtin: has at most 14 characters'],
    ['a GTIN as a number', (g) => ({ gtin: Number(g) }), 'gtin: Invalid input: expected string, received number'],
    ['an unknown category', () => ({ category: 'sea' }), 'category: Invalid option: expected one of "farm"|"forest"|"fishery"'],
    ['6 OCOP stars', () => ({ ocopStars: 6 }), 'ocopStars: Too big: expected number to be <=5'],
    ['0 OCOP stars', () => ({ ocopStars: 0 }), 'ocopStars: Too small: expected number to be >=1'],
    ['a javascript: image', () => ({ imageUrl: 'javascript:alert(1)' }), 'imageUrl: must be a path on this site (/images/…) or an https URL'],
    ['an http image', () => ({ imageUrl: 'http://cdn.example.vn/a.jpg' }), 'imageUrl: must be a path on this site (/images/…) or an https URL'],
    ['a protocol-relative image', () => ({ imageUrl: '//evil.example/a.jpg' }), 'imageUrl: must be a path on this site (/images/…) or an https URL'],
    ['a shelf life of 0 days', () => ({ shelfLifeDays: 0 }), 'shelfLifeDays: Too small: expected number to be >=1'],
    ['a shelf life over 10 years', () => ({ shelfLifeDays: 3651 }), 'shelfLifeDays: Too big: expected number to be <=3650'],
    ['a shelf life of 1.5 days', () => ({ shelfLifeDays: 1.5 }), 'shelfLifeDays: Invalid input: expected int, received number'],
    ['a description with a control character', () => ({ description: 'Ngon\u0000' }), 'description: must not contain control characters'],
    ['a name with a line break', () => ({ name: 'Chả mực\nHạ Long' }), 'name: must not contain control characters'],
    ['producerId as text', () => ({ producerId: '1' }), 'producerId: Invalid input: expected number, received string'],
    ['an extra field', () => ({ gtin14: '1' }), 'Unrecognized key: "gtin14"'],
  ])('refuses %s (422) and changes nothing', async (_name, change, message) => {
    const producer = await makeProducer();
    const official = await makeUser('official');
    const input = productInput(producer.id);
    await expectRefused('/api/products', official.token, { ...input, ...change(String(input.gtin)) }, unprocessable(message), {
      table: products,
      where: eq(products.producerId, producer.id),
    });
  });
});

// ---------------------------------------------------------------------------------------------

function certificateInput(producerId: number, overrides: Json = {}): Json {
  return { producerId, kind: 'vietgap', number: `VG-QN-${unique()}`, issuer: 'Chi cục Quản lý chất lượng Quảng Ninh', validFrom: '2026-01-15', ...overrides };
}

describe('POST /api/certificates', () => {
  it('records a certificate of a producer, optionally for one of its products, with an audit row', async () => {
    const producer = await makeProducer();
    const product = await makeProduct(producer.id);
    const official = await makeUser('official');
    const res = await post('/api/certificates', official.token, certificateInput(producer.id, {
      productId: product.id,
      kind: 'ocop',
      issuer: 'UBND tỉnh Quảng Ninh'.normalize('NFD'),
      validFrom: '2028-02-29',
      validTo: '2031-02-28',
    }));
    expect(res.status).toBe(201);
    const created = (await res.json()) as Json & { id: number };
    expect(created).toMatchObject({ producerId: producer.id, productId: product.id, kind: 'ocop', issuer: 'UBND tỉnh Quảng Ninh', validFrom: '2028-02-29', validTo: '2031-02-28' });
    const audit = await testDb().select().from(auditLog).where(eq(auditLog.entityId, String(created.id)));
    expect(audit.filter((a) => a.entity === 'certificate').map((a) => a.action)).toEqual(['certificate.create']);
    const same = await post('/api/certificates', official.token, certificateInput(producer.id, { validTo: '2026-01-15' }));
    expect(same.status).toBe(201); // valid for one day
  });

  it('refuses the same certificate number twice for one producer, kind and product', async () => {
    const producer = await makeProducer();
    const official = await makeUser('official');
    const first = await post('/api/certificates', official.token, certificateInput(producer.id, { kind: 'vietgap', number: 'VG-TRUNG' }));
    expect(first.status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => post('/api/certificates', official.token, certificateInput(producer.id, { kind: 'vietgap', number: 'VG-TRUNG' }))),
    );
    expect(results.map((r) => r.status)).toEqual([409, 409, 409, 409]);
    const rows = await testDb().select().from(certificates).where(eq(certificates.producerId, producer.id));
    expect(rows).toHaveLength(1);
  });

  it('is for officials only', async () => {
    const producer = await makeProducer();
    const enterprise = await makeUser('enterprise', producer.id);
    await expectRefused('/api/certificates', enterprise.token, certificateInput(producer.id), { status: 403, code: 'forbidden', message: 'Your role may not do this' }, {
      table: certificates,
      where: eq(certificates.producerId, producer.id),
    });
  });

  it.each<[string, (s: { otherProductId: number }) => Json, string]>([
    ['a product of another producer', (s) => ({ productId: s.otherProductId }), 'Product {other} is not a product of producer {producer}'],
    ['an unknown product', () => ({ productId: 987654321 }), 'Product 987654321 is not a product of producer {producer}'],
    ['an unknown producer', () => ({ producerId: 987654321 }), 'No producer 987654321'],
    ['29 February 2026', () => ({ validFrom: '2026-02-29' }), 'validFrom: must be a real date written YYYY-MM-DD'],
    ['a date without zero padding', () => ({ validFrom: '2026-1-5' }), 'validFrom: must be a real date written YYYY-MM-DD'],
    ['a date and time', () => ({ validFrom: '2026-01-05T00:00:00Z' }), 'validFrom: has at most 10 characters'],
    ['validTo before validFrom', () => ({ validTo: '2026-01-14' }), 'validTo: must not be before validFrom'],
    ['an unknown kind', () => ({ kind: 'iso9001' }), 'kind: Invalid option: expected one of "vietgap"|"ocop"|"food_safety"|"organic"|"other"'],
    ['a number with a control character', () => ({ number: 'VG\u001b[31m' }), 'number: must not contain control characters'],
    ['an extra field', () => ({ productName: 'x' }), 'Unrecognized key: "productName"'],
  ])('refuses %s (422) and changes nothing', async (_name, change, message) => {
    const producer = await makeProducer();
    const other = await makeProduct((await makeProducer()).id);
    const official = await makeUser('official');
    const expected = message.replace('{other}', String(other.id)).replace('{producer}', String(producer.id));
    await expectRefused('/api/certificates', official.token, certificateInput(producer.id, change({ otherProductId: other.id })), unprocessable(expected), {
      table: certificates,
      where: or(eq(certificates.producerId, producer.id), eq(certificates.producerId, 987654321)),
    });
  });
});

// ---------------------------------------------------------------------------------------------

function batchInput(productId: number, overrides: Json = {}): Json {
  return { productId, lotCode: `CM-${unique()}/A`, productionDate: '2026-01-05', quantity: 1200, ...overrides };
}

describe('POST /api/batches', () => {
  it('records a batch (producer taken from the product, unit defaulted) with an audit row', async () => {
    const producer = await makeProducer();
    const product = await makeProduct(producer.id, { shelfLifeDays: null });
    const official = await makeUser('official');
    const res = await post('/api/batches', official.token, batchInput(product.id, { lotCode: ' CM.2026_01/05-A ', expiryDate: '2026-07-05' }));
    expect(res.status).toBe(201);
    const created = (await res.json()) as Json & { id: number };
    expect(created).toMatchObject({
      producerId: producer.id,
      productId: product.id,
      lotCode: 'CM.2026_01/05-A',
      productionDate: '2026-01-05',
      expiryDate: '2026-07-05',
      quantity: 1200,
      unit: 'gói',
      recalledAt: null,
    });
    const audit = await testDb().select().from(auditLog).where(eq(auditLog.entityId, String(created.id)));
    expect(audit.filter((a) => a.entity === 'batch').map((a) => a.action)).toEqual(['batch.create']);
    const list = (await (await call(`/api/batches?productId=${product.id}`, { token: official.token })).json()) as { items: { lotCode: string }[] };
    expect(list.items.map((b) => b.lotCode)).toEqual(['CM.2026_01/05-A']);
  });

  it('computes the expiry date from the shelf life when none is given, and leaves it empty without one', async () => {
    const producer = await makeProducer();
    const official = await makeUser('official');
    const withShelfLife = await makeProduct(producer.id, { shelfLifeDays: 180 });
    const without = await makeProduct(producer.id, { shelfLifeDays: null });
    const a = await post('/api/batches', official.token, batchInput(withShelfLife.id, { productionDate: '2026-01-01', unit: 'hộp' }));
    expect(await a.json()).toMatchObject({ expiryDate: '2026-06-30', unit: 'hộp' });
    const b = await post('/api/batches', official.token, batchInput(without.id));
    expect(await b.json()).toMatchObject({ expiryDate: null });
    const given = await post('/api/batches', official.token, batchInput(withShelfLife.id, { productionDate: '2026-01-01', expiryDate: '2026-03-01' }));
    expect(await given.json()).toMatchObject({ expiryDate: '2026-03-01' });
  });

  it('takes a production date of today (Việt Nam time), never tomorrow', async () => {
    // The clock stands still at midnight in Việt Nam (17:00 UTC the day before), so "today" is
    // the same date for the test and the Worker, and differs from the UTC date.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-20T17:00:00Z') });
    try {
      expect(today()).toBe('2026-11-21');
      const product = await makeProduct((await makeProducer()).id);
      const official = await makeUser('official');
      expect((await post('/api/batches', official.token, batchInput(product.id, { productionDate: today() }))).status).toBe(201);
      await expectRefused('/api/batches', official.token, batchInput(product.id, { productionDate: addDays(today(), 1) }), unprocessable('productionDate: must not be in the future'), {
        table: batches,
        where: eq(batches.productId, product.id),
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it("lets an enterprise user record batches of its own producer's products only", async () => {
    const own = await makeProduct((await makeProducer()).id);
    const other = await makeProduct((await makeProducer()).id);
    const enterprise = await makeUser('enterprise', own.producerId);
    expect((await post('/api/batches', enterprise.token, batchInput(own.id))).status).toBe(201);
    for (const productId of [other.id, 987654321]) {
      await expectRefused('/api/batches', enterprise.token, batchInput(productId), { status: 404, code: 'not_found', message: `No product ${productId}` }, {
        table: batches,
        where: eq(batches.productId, productId),
      });
    }
    // The producer comes from the product: naming another one is refused, not obeyed.
    await expectRefused('/api/batches', enterprise.token, batchInput(own.id, { producerId: other.producerId }), unprocessable('Unrecognized key: "producerId"'), {
      table: batches,
      where: eq(batches.producerId, other.producerId),
    });
  });

  it('refuses a lot code the product already has (409); another product may use it', async () => {
    const producer = await makeProducer();
    const product = await makeProduct(producer.id);
    const sibling = await makeProduct(producer.id);
    const official = await makeUser('official');
    const lotCode = `LO-${unique()}`;
    expect((await post('/api/batches', official.token, batchInput(product.id, { lotCode }))).status).toBe(201);
    await expectRefused('/api/batches', official.token, batchInput(product.id, { lotCode, quantity: 5 }), {
      status: 409,
      code: 'conflict',
      message: `The product already has a batch with lot code ${lotCode}`,
    }, { table: batches, where: eq(batches.productId, product.id) });
    expect((await post('/api/batches', official.token, batchInput(sibling.id, { lotCode }))).status).toBe(201);
  });

  it('lets exactly one of many simultaneous batches with one lot code through, with one audit row', async () => {
    const product = await makeProduct((await makeProducer()).id);
    const official = await makeUser('official');
    const lotCode = `SS-${unique()}`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => post('/api/batches', official.token, batchInput(product.id, { lotCode }))));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const rows = await testDb().select().from(batches).where(eq(batches.productId, product.id));
    expect(rows).toHaveLength(1);
    const audit = await testDb().select().from(auditLog).where(eq(auditLog.entityId, String(rows[0]!.id)));
    expect(audit.filter((a) => a.entity === 'batch')).toHaveLength(1);
  });

  it('answers an unknown product with 422 for officials', async () => {
    const official = await makeUser('official');
    await expectRefused('/api/batches', official.token, batchInput(987654321), unprocessable('No product 987654321'), {
      table: batches,
      where: eq(batches.productId, 987654321),
    });
  });

  it.each<[string, Json, string]>([
    ['29 February 2026', { productionDate: '2026-02-29' }, 'productionDate: must be a real date written YYYY-MM-DD'],
    ['a date without zero padding', { productionDate: '2026-1-5' }, 'productionDate: must be a real date written YYYY-MM-DD'],
    ['31 April', { expiryDate: '2026-04-31' }, 'expiryDate: must be a real date written YYYY-MM-DD'],
    ['a far-future production date', { productionDate: '2099-01-01' }, 'productionDate: must not be in the future'],
    ['expiry before production', { productionDate: '2026-01-05', expiryDate: '2026-01-04' }, 'expiryDate: must not be before productionDate'],
    ['a lot code with a space', { lotCode: 'CM 01' }, 'lotCode: may hold only ASCII letters, digits and - . / _'],
    ['a lot code with Vietnamese letters', { lotCode: 'LÔ-01' }, 'lotCode: may hold only ASCII letters, digits and - . / _'],
    ['a lot code with #', { lotCode: 'CM#01' }, 'lotCode: may hold only ASCII letters, digits and - . / _'],
    ['a lot code with a control character', { lotCode: 'CM\u000001' }, 'lotCode: must not contain control characters'],
    ['a lot code of 21 characters', { lotCode: 'A'.repeat(21) }, 'lotCode: has at most 20 characters'],
    ['an empty lot code', { lotCode: '' }, 'lotCode: must not be empty'],
    ['quantity 0', { quantity: 0 }, 'quantity: Too small: expected number to be >=1'],
    ['quantity over 10 million', { quantity: 10_000_001 }, 'quantity: Too big: expected number to be <=10000000'],
    ['a fractional quantity', { quantity: 2.5 }, 'quantity: Invalid input: expected int, received number'],
    ['quantity as text', { quantity: '1200' }, 'quantity: Invalid input: expected number, received string'],
    ['a unit with a control character', { unit: 'hộp\u0085' }, 'unit: must not contain control characters'],
    ['an extra field', { recalledAt: 1 }, 'Unrecognized key: "recalledAt"'],
  ])('refuses %s (422) and changes nothing', async (_name, change, message) => {
    const product = await makeProduct((await makeProducer()).id);
    const official = await makeUser('official');
    await expectRefused('/api/batches', official.token, batchInput(product.id, change), unprocessable(message), {
      table: batches,
      where: eq(batches.productId, product.id),
    });
  });

  it('refuses a body that is not JSON (415) and changes nothing', async () => {
    const product = await makeProduct((await makeProducer()).id);
    const official = await makeUser('official');
    const res = await call('/api/batches', { method: 'POST', token: official.token, body: 'productId=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(await count(batches, eq(batches.productId, product.id))).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('a batch recorded by an enterprise user, end to end', () => {
  it("is activated on its producer's allocation and a scan shows the new lot", async () => {
    const official = await makeUser('official');
    const producerRes = await post('/api/producers', official.token, producerInput({ name: `Hợp tác xã Miến dong Bình Liêu ${unique()}` }));
    const producer = (await producerRes.json()) as { id: number; name: string };
    const enterprise = await makeUser('enterprise', producer.id);

    const productRes = await post('/api/products', enterprise.token, productInput(producer.id, { name: 'Miến dong Bình Liêu', category: 'farm', shelfLifeDays: 365 }));
    expect(productRes.status).toBe(201);
    const product = (await productRes.json()) as { id: number };
    const lotCode = `MD-${unique()}`;
    const batchRes = await post('/api/batches', enterprise.token, batchInput(product.id, { lotCode, productionDate: '2026-01-10', unit: 'gói 500 g' }));
    expect(batchRes.status).toBe(201);
    const batch = (await batchRes.json()) as { id: number };

    const run = await issuePrintRun(official.token, { kind: 'qr', quantity: 3, producerId: producer.id });
    const activation = await post('/api/activations', enterprise.token, { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.lastSerial, batchId: batch.id });
    expect(activation.status).toBe(201);

    const [stamp] = await manifestRows(official.token, run.id);
    const scan = await call(`/S/${stamp!.code}`, { headers: { accept: 'application/json' } });
    expect(scan.status).toBe(200);
    expect(await scan.json()).toMatchObject({
      verdict: 'genuine',
      producer: { name: producer.name },
      product: { name: 'Miến dong Bình Liêu' },
      batch: { lotCode, productionDate: '2026-01-10', expiryDate: '2027-01-10' },
    });
  });
});
