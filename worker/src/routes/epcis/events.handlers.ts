/** `GET /events` (the binding's event query, paged) and `GET /events/{eventID}`. */
import type { Context } from 'hono';
import { queryEvents } from '../../../../db/queries/epcis.ts';
import { buildQueryDocument, parseEventQuery, readPageToken, signPageToken } from '../../domain/epcis/exchange.ts';
import { buildEpcisProblem } from '../../domain/epcis/problem.ts';
import { problem, queryProblem, setVersionHeaders, type EpcisEnv } from './caller.ts';

const visibility = (c: Context<EpcisEnv>) => {
  const p = c.var.epcisCaller.producerId;
  return p === null ? {} : { visibleToProducer: p };
};

/**
 * `GET /events?…`: an EPCISQueryDocument of at most `perPage` events, oldest first; when there
 * are more, a `Link: <…&nextPageToken=…>; rel="next"` header (the token is signed and bound to the
 * query). Unknown parameters and bad tokens → 400 QueryParameterException.
 */
export async function queryEventsHandler(c: Context<EpcisEnv>): Promise<Response> {
  const url = new URL(c.req.url);
  const parsed = parseEventQuery(url.searchParams);
  if (!parsed.ok) return queryProblem(c, parsed.errors);
  const q = parsed.query;
  const secret = c.env.SESSION_SECRET;
  const after = q.nextPageToken === undefined ? undefined : await readPageToken(q.nextPageToken, q, secret);
  if (q.nextPageToken !== undefined && !after) return queryProblem(c, ['nextPageToken is not a token this query gave']);
  const rows = await queryEvents(c.var.db, q, { after, ...visibility(c) });
  const page = rows.slice(0, q.perPage);
  if (rows.length > q.perPage) {
    const last = page[page.length - 1]!;
    const next = new URL(url);
    next.searchParams.set('nextPageToken', await signPageToken({ time: last.eventTime, id: last.id }, q, secret));
    c.header('Link', `<${next.pathname}${next.search}>; rel="next"`);
  }
  setVersionHeaders(c);
  return c.json(buildQueryDocument(page, new Date()));
}

/** `GET /events/{eventID}`: an EPCISQueryDocument with that one event, or 404. */
export async function eventHandler(c: Context<EpcisEnv>): Promise<Response> {
  const eventId = c.req.param('eventID') ?? '';
  const [row] = await queryEvents(c.var.db, { eventId: [eventId], perPage: 1 }, visibility(c));
  if (!row) return problem(c, buildEpcisProblem('epcisException:NoSuchResourceException', 404, 'No such event', `no event ${eventId} you may see`));
  setVersionHeaders(c);
  return c.json(buildQueryDocument([row], new Date()));
}
