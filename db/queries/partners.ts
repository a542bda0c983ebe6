/**
 * Trading partners: the suppliers a producer's lots came from and the customers they went to,
 * outside the registry or inside it (then linked to the registered producer). Reads scoped to the
 * producer whose partners they are, and the audited write. Each takes the db handle first; the
 * caller has validated the fields (tax code, GLN check digit, admin units).
 */
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { partners, producers } from '../schema.ts';
import { auditStatement, LAST_INSERT_ID, type Actor } from './audit.ts';
import type { ProducerScope } from './locations.ts';
import { columnList, bare, statement } from './sql.ts';

/** A partner row. */
export type Partner = typeof partners.$inferSelect;

/** A partner as a producer records it. */
export type NewPartner = {
  producerId: number;
  name: string;
  taxCode?: string | null;
  gln?: string | null;
  address?: string | null;
  provinceCode?: string | null;
  communeCode?: string | null;
  linkedProducerId?: number | null;
};

/** Why a partner is refused. */
export type PartnerRefusal = 'producer_not_found' | 'linked_producer_not_found' | 'linked_to_itself' | 'duplicate_tax_code' | 'duplicate_gln' | 'duplicate_linked_producer';

/**
 * Records a partner of a producer with its audit row (`partner.create`) in one write batch.
 * A producer has one partner per tax code, per GLN and per linked producer, and is not its own
 * partner.
 * @returns the new row, or why not ({@link PartnerRefusal})
 */
export async function createPartner(db: Db, p: NewPartner, actor: Actor): Promise<Partner | PartnerRefusal> {
  const v = {
    producerId: p.producerId,
    name: p.name,
    taxCode: p.taxCode ?? null,
    gln: p.gln ?? null,
    address: p.address ?? null,
    provinceCode: p.provinceCode ?? null,
    communeCode: p.communeCode ?? null,
    linkedProducerId: p.linkedProducerId ?? null,
  };
  if (v.linkedProducerId !== null && v.linkedProducerId === v.producerId) return 'linked_to_itself';
  const t = partners;
  const exists = (id: number | null) => sql`exists (select 1 from ${producers} where ${producers.id} = ${id})`;
  const [check, insert] = await db.$client.batch(
    [
      statement(sql`select ${exists(v.producerId)} as producer, ${exists(v.linkedProducerId)} as linked,
        exists (select 1 from ${t} where ${t.producerId} = ${v.producerId} and ${t.taxCode} = ${v.taxCode}) as tax_code,
        exists (select 1 from ${t} where ${t.producerId} = ${v.producerId} and ${t.gln} = ${v.gln}) as gln`),
      statement(sql`insert into ${t} ${columnList(t.producerId, t.name, t.taxCode, t.gln, t.address, t.provinceCode, t.communeCode, t.linkedProducerId)}
        select ${v.producerId}, ${v.name}, ${v.taxCode}, ${v.gln}, ${v.address}, ${v.provinceCode}, ${v.communeCode}, ${v.linkedProducerId}
        where ${exists(v.producerId)} and (${v.linkedProducerId} is null or ${exists(v.linkedProducerId)})
        on conflict do nothing returning ${bare(t.id)}`),
      auditStatement(actor, 'partner.create', 'partner', v, { entityId: LAST_INSERT_ID, onlyIfChanged: true }),
    ],
    'write',
  );
  const row = insert!.rows[0];
  if (row) return (await findPartner(db, Number(row.id)))!;
  const c = check!.rows[0]!;
  if (!Number(c.producer)) return 'producer_not_found';
  if (v.linkedProducerId !== null && !Number(c.linked)) return 'linked_producer_not_found';
  if (Number(c.tax_code)) return 'duplicate_tax_code';
  if (Number(c.gln)) return 'duplicate_gln';
  return 'duplicate_linked_producer';
}

/** Lists a producer's partners (all producers' when unscoped) by name, with the linked producer's name. */
export async function listPartners(db: Db, scope: ProducerScope & { includeDeactivated?: boolean } = {}) {
  const conditions: SQL[] = [];
  if (scope.producerId !== undefined) conditions.push(eq(partners.producerId, scope.producerId));
  if (!scope.includeDeactivated) conditions.push(isNull(partners.deactivatedAt));
  const rows = await db
    .select({ partner: partners, linkedProducerName: producers.name })
    .from(partners)
    .leftJoin(producers, eq(producers.id, partners.linkedProducerId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(partners.name), asc(partners.id));
  return rows.map((r) => ({ ...r.partner, linkedProducerName: r.linkedProducerName }));
}

/** One partner by id, or undefined (also when scoped to another producer). */
export async function findPartner(db: Db, id: number, scope: ProducerScope = {}): Promise<Partner | undefined> {
  const [row] = await db
    .select()
    .from(partners)
    .where(and(eq(partners.id, id), scope.producerId === undefined ? undefined : eq(partners.producerId, scope.producerId)));
  return row;
}
