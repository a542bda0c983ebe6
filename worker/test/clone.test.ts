import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { alerts, pinAttempts, scans } from '../../db/schema.ts';
import { call, issuePrintRun, makeScene, makeUser, manifestRows, testDb } from './helpers.ts';

type ScanJson = { verdict: string; reasons?: string[]; serial: number; scan: { count: number; first: boolean } };
type PinJson = {
  verdict: string;
  reasons?: string[];
  pin: { ok: boolean; first?: boolean; confirmations?: number; confirmedAt?: string; attemptsLeft?: number };
};

const place = (city: string, region: string, latitude: number, longitude: number) =>
  encodeURIComponent(JSON.stringify({ country: 'VN', region, city, latitude: String(latitude), longitude: String(longitude) }));
const HA_LONG = place('Hạ Long', 'Quảng Ninh', 20.95, 107.07);
const CITIES = [
  HA_LONG,
  place('Hà Nội', 'Hà Nội', 21.03, 105.85),
  place('Hải Phòng', 'Hải Phòng', 20.86, 106.68),
  place('Đà Nẵng', 'Đà Nẵng', 16.05, 108.2),
  place('Hồ Chí Minh', 'Hồ Chí Minh', 10.78, 106.7),
];

/** A phone: keeps the scanner cookie it is given, like a browser. */
function phone() {
  let cookie = '';
  return async (path: string, init: { method?: string; json?: unknown; place?: string } = {}) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (cookie) headers.cookie = cookie;
    if (init.place) headers['x-dev-place'] = init.place;
    const res = await call(path, { method: init.method ?? 'GET', json: init.json, headers });
    const set = res.headers.get('set-cookie');
    if (set?.startsWith('tx_sid=')) cookie = set.split(';')[0]!;
    return res;
  };
}

async function stamps(kind: 'qr' | 'anti_counterfeit', quantity = 6, activate = true) {
  const scene = await makeScene();
  const run = await issuePrintRun(scene.official.token, { kind, quantity, producerId: scene.producer.id });
  if (activate) {
    const res = await call('/api/activations', {
      method: 'POST',
      token: scene.official.token,
      json: { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.lastSerial, batchId: scene.batch.id },
    });
    expect(res.status).toBe(201);
  }
  return { ...scene, run, rows: await manifestRows(scene.official.token, run.id) };
}

const alertsOf = (serial: number) => testDb().select().from(alerts).where(eq(alerts.serial, serial));

describe('clone detection on the scan path', () => {
  it('keeps a buyer rescanning 10 times from one phone genuine, and a few shoppers too', async () => {
    const { rows } = await stamps('qr');
    for (let shopper = 0; shopper < 3; shopper++) {
      const res = await phone()(`/S/${rows[0]!.code}`, { place: HA_LONG });
      expect(((await res.json()) as ScanJson).verdict).toBe('genuine');
    }
    const buyer = phone();
    for (let i = 0; i < 10; i++) {
      const body = (await (await buyer(`/S/${rows[0]!.code}`, { place: HA_LONG })).json()) as ScanJson;
      expect(body.verdict).toBe('genuine');
      expect(body.scan.count).toBe(4 + i);
    }
    expect(await alertsOf(Number(rows[0]!.serial))).toEqual([]);
    const sessions = await testDb().select().from(scans).where(eq(scans.serial, Number(rows[0]!.serial)));
    expect(new Set(sessions.map((s) => s.sessionHash)).size).toBe(4);
    for (const s of sessions) expect(s.sessionHash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('makes a code scanned by 30 different phones suspect, with one alert', async () => {
    const { rows } = await stamps('qr');
    let last: ScanJson | undefined;
    for (let i = 0; i < 30; i++) last = (await (await phone()(`/S/${rows[1]!.code}`, { place: HA_LONG })).json()) as ScanJson;
    expect(last!.verdict).toBe('suspect');
    expect(last!.reasons).toContain('many_sessions');
    const opened = await alertsOf(Number(rows[1]!.serial));
    expect(opened.filter((a) => a.rule === 'many_sessions')).toHaveLength(1);
  });

  it('makes a code scanned from 5 cities within an hour suspect', async () => {
    const { rows } = await stamps('qr');
    let last: ScanJson | undefined;
    for (const city of CITIES) last = (await (await phone()(`/S/${rows[2]!.code}`, { place: city })).json()) as ScanJson;
    expect(last!.verdict).toBe('suspect');
    expect(last!.reasons!.some((r) => r === 'many_places' || r === 'impossible_travel')).toBe(true);
    const html = await (await call(`/S/${rows[2]!.code}`)).text();
    expect(html).toContain('data-verdict="suspect"');
    expect(html).toContain('Vì sao hệ thống cảnh báo');
  });

  it('flags a stamp that was scanned before it was activated', async () => {
    const { rows, run, batch, official } = await stamps('qr', 3, false);
    const early = (await (await phone()(`/S/${rows[0]!.code}`, { place: HA_LONG })).json()) as ScanJson;
    expect(early.verdict).toBe('not_activated');
    const act = await call('/api/activations', {
      method: 'POST',
      token: official.token,
      json: { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.lastSerial, batchId: batch.id },
    });
    expect(act.status).toBe(201);
    const later = (await (await phone()(`/S/${rows[0]!.code}`, { place: HA_LONG })).json()) as ScanJson;
    expect(later.verdict).toBe('suspect');
    expect(later.reasons).toContain('scan_before_activation');
  });
});

describe('POST /s/{code}/pin', () => {
  it('confirms a hidden PIN once; a second confirmation makes the stamp suspect', async () => {
    const { rows } = await stamps('anti_counterfeit');
    const { code, pin } = rows[0]!;
    const buyer = phone();
    await buyer(`/S/${code}`, { place: HA_LONG });
    const first = (await (await buyer(`/s/${code}/pin`, { method: 'POST', json: { pin }, place: HA_LONG })).json()) as PinJson;
    expect(first).toMatchObject({ verdict: 'genuine', pin: { ok: true, first: true, confirmations: 1 } });
    const copier = phone();
    const second = (await (await copier(`/s/${code}/pin`, { method: 'POST', json: { pin: `${pin!.slice(0, 4)}-${pin!.slice(4)}` } })).json()) as PinJson;
    expect(second).toMatchObject({ verdict: 'suspect', reasons: ['pin_reused'], pin: { ok: true, first: false, confirmations: 2, confirmedAt: first.pin.confirmedAt } });
    const scan = (await (await copier(`/S/${code}`)).json()) as ScanJson;
    expect(scan.verdict).toBe('suspect');
    expect(scan.reasons).toContain('pin_reused');
    expect((await alertsOf(Number(rows[0]!.serial))).map((a) => a.rule)).toEqual(['pin_reused']);
  });

  it('lets exactly one of two simultaneous first confirmations be first', async () => {
    const { rows } = await stamps('anti_counterfeit');
    const { code, pin } = rows[1]!;
    await phone()(`/S/${code}`);
    const results = (await Promise.all(
      [phone(), phone()].map(async (p) => (await p(`/s/${code}/pin`, { method: 'POST', json: { pin } })).json()),
    )) as PinJson[];
    expect(results.filter((r) => r.pin.first)).toHaveLength(1);
    expect(results.map((r) => r.pin.confirmations).sort()).toEqual([1, 2]);
  });

  it('counts wrong PINs and locks out after a few, without locking the stamp for good', async () => {
    const { rows } = await stamps('anti_counterfeit');
    const { code, serial } = rows[2]!;
    await phone()(`/S/${code}`);
    const guesser = phone();
    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await guesser(`/s/${code}/pin`, { method: 'POST', json: { pin: '00000000' } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as PinJson;
      expect(body.pin.ok).toBe(false);
      left.push(body.pin.attemptsLeft!);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const locked = await guesser(`/s/${code}/pin`, { method: 'POST', json: { pin: rows[2]!.pin } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Failures expire: move them out of the window and the genuine buyer gets through.
    await testDb().update(pinAttempts).set({ at: new Date(Date.now() - 60 * 60 * 1000) }).where(eq(pinAttempts.serial, Number(serial)));
    const ok = (await (await phone()(`/s/${code}/pin`, { method: 'POST', json: { pin: rows[2]!.pin } })).json()) as PinJson;
    expect(ok.pin).toMatchObject({ ok: true, first: true });
  });

  it('confirms through the HTML form too', async () => {
    const { rows } = await stamps('anti_counterfeit');
    const page = await (await call(`/S/${rows[3]!.code}`)).text();
    expect(page).toContain(`action="/s/${rows[3]!.code}/pin?lang=vi"`);
    const res = await call(`/s/${rows[3]!.code}/pin?lang=vi`, {
      method: 'POST',
      body: new URLSearchParams({ pin: rows[3]!.pin! }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-notice="pin_first"');
  });

  it.each<[string, (s: Awaited<ReturnType<typeof stamps>>, qr: string) => { path: string; init: RequestInit }, number]>([
    ['a PIN on a qr stamp', (_s, qr) => ({ path: `/s/${qr}/pin`, init: { method: 'POST', body: '{"pin":"12345678"}', headers: { 'content-type': 'application/json' } } }), 422],
    ['a forged code', (s) => ({ path: `/s/${s.rows[4]!.code.slice(0, -1)}${s.rows[4]!.code.endsWith('0') ? '1' : '0'}/pin`, init: { method: 'POST', body: '{"pin":"12345678"}', headers: { 'content-type': 'application/json' } } }), 404],
    ['a missing PIN', (s) => ({ path: `/s/${s.rows[4]!.code}/pin`, init: { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } } }), 422],
    ['a PIN that is not a string', (s) => ({ path: `/s/${s.rows[4]!.code}/pin`, init: { method: 'POST', body: '{"pin":12345678}', headers: { 'content-type': 'application/json' } } }), 422],
    ['an overlong PIN', (s) => ({ path: `/s/${s.rows[4]!.code}/pin`, init: { method: 'POST', body: JSON.stringify({ pin: '1'.repeat(100) }), headers: { 'content-type': 'application/json' } } }), 422],
    ['broken JSON', (s) => ({ path: `/s/${s.rows[4]!.code}/pin`, init: { method: 'POST', body: '{"pin":', headers: { 'content-type': 'application/json' } } }), 400],
    ['a text body', (s) => ({ path: `/s/${s.rows[4]!.code}/pin`, init: { method: 'POST', body: 'pin=1', headers: { 'content-type': 'text/plain' } } }), 415],
    ['an oversized body', (s) => ({ path: `/s/${s.rows[4]!.code}/pin`, init: { method: 'POST', body: JSON.stringify({ pin: 'x'.repeat(20_000) }), headers: { 'content-type': 'application/json' } } }), 413],
  ])('refuses %s and writes nothing', async (_name, make, status) => {
    const s = await stamps('anti_counterfeit');
    const qr = await stamps('qr', 1);
    const { path, init } = make(s, qr.rows[0]!.code);
    const before = (await testDb().select().from(pinAttempts)).length;
    const res = await call(path, init);
    expect(res.status).toBe(status);
    expect((await testDb().select().from(pinAttempts)).length).toBe(before);
  });
});

describe('consumer reports and alerts for officials', () => {
  it('turns a report into an alert that officials filter, read with its timeline, and close', async () => {
    const { rows, producer, official } = await stamps('qr');
    const serial = Number(rows[5]!.serial);
    await phone()(`/S/${rows[5]!.code}`, { place: HA_LONG });
    const res = await call(`/s/${rows[5]!.code}/report`, {
      method: 'POST',
      // Typed with combining marks (NFD): stored as the precomposed spelling (NFC).
      json: { text: 'Bao bì in mờ, tem dán lệch'.normalize('NFD'), shop: 'Chợ Hạ Long 1', contact: '0912 345 678' },
    });
    expect(res.status).toBe(201);
    const list = (await (await call(`/api/alerts?rule=consumer_report&producerId=${producer.id}`, { token: official.token })).json()) as {
      items: { id: number; serial: number; rule: string; status: string; reportText: string; producerName: string }[];
    };
    expect(list.items).toEqual([
      expect.objectContaining({ serial, rule: 'consumer_report', status: 'open', reportText: 'Bao bì in mờ, tem dán lệch', producerName: producer.name }),
    ]);
    const alertId = list.items[0]!.id;
    const detail = (await (await call(`/api/alerts/${alertId}`, { token: official.token })).json()) as { timeline: { city: string }[] };
    expect(detail.timeline.map((t) => t.city)).toEqual(['Hạ Long']);
    const closed = await call(`/api/alerts/${alertId}`, { method: 'PATCH', json: { status: 'false_positive' }, token: official.token });
    expect(closed.status).toBe(200);
    expect(((await closed.json()) as { status: string }).status).toBe('false_positive');
    const again = await call(`/api/alerts/${alertId}`, { method: 'PATCH', json: { status: 'confirmed_counterfeit' }, token: official.token });
    expect(again.status).toBe(409);
    const bad = await call(`/api/alerts/${alertId}`, { method: 'PATCH', json: { status: 'open' }, token: official.token });
    expect(bad.status).toBe(422);
  });

  it.each([
    ['an oversized report text', { text: 'x'.repeat(2001) }, 422],
    ['an empty report', { text: '   ' }, 422],
    ['a report without text', { shop: 'Chợ' }, 422],
    ['a report with a bidi override', { text: 'giả\u202e' }, 422],
  ])('refuses %s and opens no alert', async (_name, body, status) => {
    const { rows } = await stamps('qr', 1);
    await call(`/S/${rows[0]!.code}`);
    const res = await call(`/s/${rows[0]!.code}/report`, { method: 'POST', json: body });
    expect(res.status).toBe(status);
    expect(await alertsOf(Number(rows[0]!.serial))).toEqual([]);
  });
});

describe('suspect stamps stay suspect until an official decides', () => {
  it('keeps a stamp suspect after the rule stops firing, until the alert is dismissed', async () => {
    const { rows, official } = await stamps('anti_counterfeit');
    const { code, pin, serial } = rows[4]!;
    await phone()(`/S/${code}`);
    await phone()(`/s/${code}/pin`, { method: 'POST', json: { pin } });
    await phone()(`/s/${code}/pin`, { method: 'POST', json: { pin } });
    const scan = (await (await phone()(`/S/${code}`)).json()) as ScanJson;
    expect(scan).toMatchObject({ verdict: 'suspect', reasons: ['pin_reused'] });
    const [alert] = await alertsOf(Number(serial));
    const closed = await call(`/api/alerts/${alert!.id}`, { method: 'PATCH', json: { status: 'false_positive' }, token: official.token });
    expect(closed.status).toBe(200);
    const after = (await (await phone()(`/S/${code}`)).json()) as ScanJson;
    expect(after.verdict).toBe('genuine');
    expect(after.reasons).toBeUndefined();
  });
});

describe('hidden PIN under attack', () => {
  it('holds the lockout against parallel guesses', async () => {
    const { rows } = await stamps('anti_counterfeit');
    const { code } = rows[0]!;
    await phone()(`/S/${code}`);
    const guesser = phone();
    await guesser(`/S/${code}`); // one session for every guess
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => guesser(`/s/${code}/pin`, { method: 'POST', json: { pin: String(10_000_000 + i) } }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    const attempts = await testDb().select().from(pinAttempts).where(eq(pinAttempts.serial, Number(rows[0]!.serial)));
    expect(attempts).toHaveLength(5);
  });

  it('says "scan first" on a never-scanned stamp whatever the PIN, and records nothing', async () => {
    const { rows } = await stamps('anti_counterfeit');
    const { code, pin, serial } = rows[1]!;
    const right = await call(`/s/${code}/pin`, { method: 'POST', json: { pin } });
    const wrong = await call(`/s/${code}/pin`, { method: 'POST', json: { pin: '00000000' } });
    expect([right.status, wrong.status]).toEqual([409, 409]);
    const bodies = (await Promise.all([right.json(), wrong.json()])) as { error: { code: string; message: string } }[];
    expect(bodies.map((b) => [b.error.code, b.error.message])).toEqual([
      ['conflict', 'Scan the stamp first'],
      ['conflict', 'Scan the stamp first'],
    ]);
    expect(await testDb().select().from(pinAttempts).where(eq(pinAttempts.serial, Number(serial)))).toEqual([]);
  });

  it('answers a bad form post with the page, not JSON', async () => {
    const { rows } = await stamps('anti_counterfeit');
    await call(`/S/${rows[2]!.code}`);
    const res = await call(`/s/${rows[2]!.code}/pin?lang=vi`, {
      method: 'POST',
      body: new URLSearchParams({ pin: '' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('data-notice="pin_format"');
  });

  it('refuses a PIN that is not 8 digits without using up an attempt', async () => {
    const { rows } = await stamps('anti_counterfeit');
    await call(`/S/${rows[3]!.code}`);
    for (const pin of ['12', 'abc', '1'.repeat(30), '1234 567']) {
      const res = await call(`/s/${rows[3]!.code}/pin`, { method: 'POST', json: { pin } });
      expect(res.status).toBe(422);
    }
    expect(await testDb().select().from(pinAttempts).where(eq(pinAttempts.serial, Number(rows[3]!.serial)))).toEqual([]);
  });

  it('sends a browser that posts about a never-scanned stamp to its page, showing nothing first', async () => {
    const { rows } = await stamps('anti_counterfeit');
    for (const [path, body] of [[`/s/${rows[4]!.code}/pin?lang=vi`, { pin: rows[4]!.pin! }], [`/s/${rows[4]!.code}/report?lang=vi`, { text: 'giả' }]] as const) {
      const res = await call(path, {
        method: 'POST',
        body: new URLSearchParams(body),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        redirect: 'manual',
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/s/${rows[4]!.code}?lang=vi`);
      expect(await res.text()).not.toContain('data-verdict');
    }
    expect(await alertsOf(Number(rows[4]!.serial))).toEqual([]);
  });
});

describe('report floods', () => {
  it('takes 5 reports per stamp per day, then 429, and pages the alert list', async () => {
    const { rows, official, producer } = await stamps('qr', 2);
    await call(`/S/${rows[0]!.code}`);
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call(`/s/${rows[0]!.code}/report`, { method: 'POST', json: { text: `giả ${i}` } }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const page1 = (await (await call(`/api/alerts?producerId=${producer.id}&limit=3`, { token: official.token })).json()) as { items: { id: number }[] };
    expect(page1.items).toHaveLength(3);
    const page2 = (await (await call(`/api/alerts?producerId=${producer.id}&limit=3&before=${page1.items[2]!.id}`, { token: official.token })).json()) as {
      items: { id: number }[];
    };
    expect(page2.items).toHaveLength(2);
    expect(Math.max(...page2.items.map((a) => a.id))).toBeLessThan(page1.items[2]!.id);
  });
});

describe('alert timelines for a company', () => {
  it('shows which scans share a phone without the stored hash', async () => {
    const { rows, producer } = await stamps('qr', 1);
    const a = phone();
    const b = phone();
    await a(`/S/${rows[0]!.code}`);
    await b(`/S/${rows[0]!.code}`);
    await a(`/S/${rows[0]!.code}`);
    expect((await call(`/s/${rows[0]!.code}/report`, { method: 'POST', json: { text: 'nghi giả' } })).status).toBe(201);
    const company = await makeUser('enterprise', producer.id);
    const list = (await (await call('/api/alerts?rule=consumer_report', { token: company.token })).json()) as { items: { id: number; serial: number }[] };
    const alert = list.items.find((i) => i.serial === Number(rows[0]!.serial))!;
    const detail = (await (await call(`/api/alerts/${alert.id}`, { token: company.token })).json()) as { timeline: { sessionHash: string | null }[] };
    expect(detail.timeline.map((t) => t.sessionHash)).toEqual(['1', '2', '1']);
  });
});
