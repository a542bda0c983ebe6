/**
 * The EPCIS 2.0 REST binding under `/api/v1/epcis`: capture (`/capture`, `/events` POST), capture
 * jobs, and the event query. Every route needs an API key or a session (routes/epcis/caller.ts).
 */
import { Hono } from 'hono';
import { announceCapture, captureEventHandler, captureHandler, captureJobHandler } from './capture.handlers.ts';
import { requireEpcisCaller, setVersionHeaders, type EpcisEnv } from './caller.ts';
import { eventHandler, queryEventsHandler } from './events.handlers.ts';

/** Paths whose body limit is the capture limit, not the API's (app.ts skips its own for them). */
export const EPCIS_CAPTURE_PATHS = ['/api/v1/epcis/capture', '/api/v1/epcis/events'] as const;

export const epcisRoutes = new Hono<EpcisEnv>()
  // Discovery needs no credentials: it says only what the interface accepts.
  .options('/capture', (c) => announceCapture(c, 'OPTIONS, POST'))
  .options('/events', (c) => announceCapture(c, 'OPTIONS, GET, POST'))
  .options('/*', (c) => {
    setVersionHeaders(c);
    c.header('Allow', 'OPTIONS, GET');
    return c.body(null, 204);
  })
  .use('*', requireEpcisCaller)
  .post('/capture', captureHandler)
  .get('/capture/:captureID', captureJobHandler)
  .post('/events', captureEventHandler)
  .get('/events', queryEventsHandler)
  .get('/events/:eventID', eventHandler);
