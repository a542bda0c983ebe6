import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../client.ts';
import { createLocation, deactivateLocation, findLocation, listLocations, type NewLocation } from '../queries/locations.ts';
import { createPartner, findPartner, listPartners, type NewPartner } from '../queries/partners.ts';
import { auditLog } from '../schema.ts';
import { countTraceRows, makeActor, makeGln, makeProducer, openTestDatabase, type TestDatabase } from './trace-fixtures.ts';
import type { Actor } from '../queries/audit.ts';

let t: TestDatabase;
let db: Db;
let actor: Actor;

beforeAll(async () => {
  t = await openTestDatabase('locations-partners');
  db = t.db;
  actor = await makeActor(db);
});
afterAll(async () => t?.close());

const place = (producerId: number, over: Partial<NewLocation> = {}): NewLocation => ({
  producerId,
  kind: 'fishing_ground',
  name: 'Bến cá Cô Tô',
  address: 'Khu 3',
  provinceCode: '22',
  communeCode: '07192',
  ...over,
});

describe('locations', () => {
  it('registers a location with its audit row', async () => {
    const producer = await makeProducer(db, actor);
    const gln = makeGln();
    const loc = await createLocation(db, place(producer.id, { latitude: 20.98, longitude: 107.76, gln }), actor);
    expect(loc).toMatchObject({ producerId: producer.id, kind: 'fishing_ground', name: 'Bến cá Cô Tô', provinceCode: '22', communeCode: '07192', latitude: 20.98, longitude: 107.76, gln, deactivatedAt: null });
    if (typeof loc === 'string') throw new Error(loc);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.entity, 'location')).orderBy(desc(auditLog.id)).limit(1);
    expect(audit).toMatchObject({ action: 'location.create', entityId: String(loc.id), userId: actor.userId, requestId: actor.requestId });
  });

  it.each([
    ['the GLN of another location', 'duplicate_gln'],
    ['an unknown producer', 'producer_not_found'],
  ] as const)('refuses %s and writes nothing', async (what, refusal) => {
    const producer = await makeProducer(db, actor);
    const gln = makeGln();
    await createLocation(db, place(producer.id, { gln }), actor);
    const before = await countTraceRows(db);
    const input = what === 'an unknown producer' ? place(999_999) : place(producer.id, { gln, name: 'Kho' });
    expect(await createLocation(db, input, actor)).toBe(refusal);
    expect(await countTraceRows(db)).toEqual(before);
  });

  it.each([
    ['a commune code of 4 digits', { communeCode: '7192' }],
    ['an all-zero GLN', { gln: '0000000000000' }],
    ['a latitude without longitude', { latitude: 20.9 }],
    ['a latitude out of range', { latitude: 91, longitude: 107 }],
  ])('the table itself refuses %s', async (_what, over) => {
    const producer = await makeProducer(db, actor);
    const before = await countTraceRows(db);
    await expect(createLocation(db, place(producer.id, over), actor)).rejects.toThrow(/CHECK constraint failed/);
    expect(await countTraceRows(db)).toEqual(before);
  });

  it('lists and finds only within the producer, active ones unless asked', async () => {
    const a = await makeProducer(db, actor);
    const b = await makeProducer(db, actor);
    const shop = await createLocation(db, place(a.id, { kind: 'shop', name: 'Cửa hàng Hạ Long', communeCode: '06688' }), actor);
    const plant = await createLocation(db, place(a.id, { kind: 'processing_plant', name: 'Xưởng chế biến' }), actor);
    const other = await createLocation(db, place(b.id), actor);
    if (typeof shop === 'string' || typeof plant === 'string' || typeof other === 'string') throw new Error('setup');
    expect((await listLocations(db, { producerId: a.id })).map((l) => l.name)).toEqual(['Cửa hàng Hạ Long', 'Xưởng chế biến']);
    expect(await findLocation(db, shop.id, { producerId: b.id })).toBeUndefined();
    expect((await findLocation(db, shop.id, { producerId: a.id }))?.id).toBe(shop.id);
    expect((await findLocation(db, other.id))?.producerId).toBe(b.id);
    expect(await findLocation(db, 999_999)).toBeUndefined();

    expect(await deactivateLocation(db, shop.id, actor, { producerId: b.id })).toBeUndefined();
    const before = await countTraceRows(db);
    const gone = await deactivateLocation(db, shop.id, actor, { producerId: a.id });
    expect(gone?.deactivatedAt).toBeInstanceOf(Date);
    expect(await deactivateLocation(db, shop.id, actor)).toEqual(gone);
    expect((await countTraceRows(db)).auditLog).toBe(before.auditLog! + 1);
    expect((await listLocations(db, { producerId: a.id })).map((l) => l.name)).toEqual(['Xưởng chế biến']);
    expect((await listLocations(db, { producerId: a.id, includeDeactivated: true })).length).toBe(2);
  });
});

describe('partners', () => {
  const partner = (producerId: number, over: Partial<NewPartner> = {}): NewPartner => ({
    producerId,
    name: 'Siêu thị Hạ Long',
    taxCode: '5701234567',
    address: 'Bãi Cháy',
    provinceCode: '22',
    communeCode: '06688',
    ...over,
  });

  it('records a partner, linked to a registered producer', async () => {
    const owner = await makeProducer(db, actor);
    const member = await makeProducer(db, actor, 'HTX Cô Tô');
    const p = await createPartner(db, partner(owner.id, { name: 'HTX Cô Tô', taxCode: null, linkedProducerId: member.id }), actor);
    expect(p).toMatchObject({ producerId: owner.id, name: 'HTX Cô Tô', linkedProducerId: member.id, taxCode: null });
    if (typeof p === 'string') throw new Error(p);
    expect(await listPartners(db, { producerId: owner.id })).toEqual([{ ...p, linkedProducerName: 'HTX Cô Tô' }]);
    expect(await findPartner(db, p.id, { producerId: member.id })).toBeUndefined();
    expect(await findPartner(db, p.id, { producerId: owner.id })).toEqual(p);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.entity, 'partner')).orderBy(desc(auditLog.id)).limit(1);
    expect(audit).toMatchObject({ action: 'partner.create', entityId: String(p.id) });
  });

  it('allows the same tax code as another producer’s partner, and several partners without one', async () => {
    const a = await makeProducer(db, actor);
    const b = await makeProducer(db, actor);
    expect(typeof (await createPartner(db, partner(a.id), actor))).toBe('object');
    expect(typeof (await createPartner(db, partner(b.id), actor))).toBe('object');
    expect(typeof (await createPartner(db, partner(a.id, { taxCode: null, name: 'Tàu cá QN-90123' }), actor))).toBe('object');
    expect(typeof (await createPartner(db, partner(a.id, { taxCode: null, name: 'Tàu cá QN-90456' }), actor))).toBe('object');
  });

  it.each<[string, (ids: { owner: number; other: number; gln: string }) => NewPartner, string]>([
    ['the same tax code twice', ({ owner }) => partner(owner, { name: 'Again' }), 'duplicate_tax_code'],
    ['the same GLN twice', ({ owner, gln }) => partner(owner, { taxCode: null, gln }), 'duplicate_gln'],
    ['the same linked producer twice', ({ owner, other }) => partner(owner, { taxCode: null, linkedProducerId: other }), 'duplicate_linked_producer'],
    ['an unknown linked producer', ({ owner }) => partner(owner, { taxCode: '5709999999', linkedProducerId: 999_999 }), 'linked_producer_not_found'],
    ['an unknown producer', () => partner(999_999), 'producer_not_found'],
    ['a link to itself', ({ owner }) => partner(owner, { taxCode: '5708888888', linkedProducerId: owner }), 'linked_to_itself'],
  ])('refuses %s and writes nothing', async (_what, make, refusal) => {
    const owner = await makeProducer(db, actor);
    const other = await makeProducer(db, actor);
    const gln = makeGln();
    await createPartner(db, partner(owner.id, { gln, linkedProducerId: other.id }), actor);
    const before = await countTraceRows(db);
    expect(await createPartner(db, make({ owner: owner.id, other: other.id, gln }), actor)).toBe(refusal);
    expect(await countTraceRows(db)).toEqual(before);
  });
});
