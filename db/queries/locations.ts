/**
 * Locations: the places a producer's stages happen (farm, pond, landing site, plant, warehouse,
 * shop). Reads scoped to a producer, and the audited writes. Each takes the db handle first;
 * the caller has validated the fields (admin units, GLN check digit, coordinates).
 */
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { LocationKind } from '../../worker/src/domain/locations.ts';
import type { Db } from '../client.ts';
import { locations, producers } from '../schema.ts';
import { auditStatement, LAST_INSERT_ID, type Actor } from './audit.ts';
import { columnList, bare, statement } from './sql.ts';

/** Optional filter by owner; `producerId` undefined = all producers. */
export type ProducerScope = { producerId?: number };

/** A location row. */
export type Location = typeof locations.$inferSelect;

/** A location as a producer registers it. */
export type NewLocation = {
  producerId: number;
  kind: LocationKind;
  name: string;
  address: string;
  provinceCode: string;
  communeCode: string;
  latitude?: number | null;
  longitude?: number | null;
  gln?: string | null;
};

/**
 * Registers a location with its audit row (`location.create`) in one write batch, unless its
 * GLN is already a location's or the producer does not exist.
 * @returns the new row, or why not: `duplicate_gln`, `producer_not_found`
 */
export async function createLocation(db: Db, l: NewLocation, actor: Actor): Promise<Location | 'duplicate_gln' | 'producer_not_found'> {
  const v = {
    producerId: l.producerId,
    kind: l.kind,
    name: l.name,
    address: l.address,
    provinceCode: l.provinceCode,
    communeCode: l.communeCode,
    latitude: l.latitude ?? null,
    longitude: l.longitude ?? null,
    gln: l.gln ?? null,
  };
  const t = locations;
  const [check, insert] = await db.$client.batch(
    [
      statement(sql`select exists (select 1 from ${producers} where ${producers.id} = ${v.producerId}) as producer,
                             exists (select 1 from ${t} where ${t.gln} = ${v.gln}) as gln`),
      statement(sql`insert into ${t} ${columnList(t.producerId, t.kind, t.name, t.address, t.provinceCode, t.communeCode, t.latitude, t.longitude, t.gln)}
        select ${v.producerId}, ${v.kind}, ${v.name}, ${v.address}, ${v.provinceCode}, ${v.communeCode}, ${v.latitude}, ${v.longitude}, ${v.gln}
        where exists (select 1 from ${producers} where ${producers.id} = ${v.producerId})
        on conflict do nothing returning ${bare(t.id)}`),
      auditStatement(actor, 'location.create', 'location', v, { entityId: LAST_INSERT_ID, onlyIfChanged: true }),
    ],
    'write',
  );
  const row = insert!.rows[0];
  if (!row) return Number(check!.rows[0]!.producer) ? 'duplicate_gln' : 'producer_not_found';
  return (await findLocation(db, Number(row.id)))!;
}

/** Lists locations by name, of one producer when scoped; active ones only unless asked. */
export async function listLocations(db: Db, scope: ProducerScope & { includeDeactivated?: boolean } = {}): Promise<Location[]> {
  const conditions: SQL[] = [];
  if (scope.producerId !== undefined) conditions.push(eq(locations.producerId, scope.producerId));
  if (!scope.includeDeactivated) conditions.push(isNull(locations.deactivatedAt));
  return db
    .select()
    .from(locations)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(locations.name), asc(locations.id));
}

/** One location by id, or undefined (also when scoped to another producer). */
export async function findLocation(db: Db, id: number, scope: ProducerScope = {}): Promise<Location | undefined> {
  const [row] = await db
    .select()
    .from(locations)
    .where(and(eq(locations.id, id), scope.producerId === undefined ? undefined : eq(locations.producerId, scope.producerId)));
  return row;
}

/**
 * Deactivates a location (it stays, with the events that name it; forms stop offering it), with
 * its audit row (`location.deactivate`) when it was active. Deactivating twice changes nothing.
 * @returns the row, or undefined when there is none (in scope)
 */
export async function deactivateLocation(db: Db, id: number, actor: Actor, scope: ProducerScope = {}): Promise<Location | undefined> {
  const t = locations;
  const owner = scope.producerId === undefined ? sql`` : sql` and ${t.producerId} = ${scope.producerId}`;
  await db.$client.batch(
    [
      statement(sql`update ${t} set ${bare(t.deactivatedAt)} = cast(unixepoch('subsec') * 1000 as integer)
        where ${t.id} = ${id} and ${t.deactivatedAt} is null${owner}`),
      auditStatement(actor, 'location.deactivate', 'location', null, { entityId: id, onlyIfChanged: true }),
    ],
    'write',
  );
  return findLocation(db, id, scope);
}
