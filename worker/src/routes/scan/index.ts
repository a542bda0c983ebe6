/**
 * The consumer's routes, any case of `/s/`: `GET /s/{code}` (scan, HTML or JSON),
 * `POST /s/{code}/pin` (hidden PIN), `POST /s/{code}/report` (report a fake). Handlers live one
 * per file beside this one; what they share is in shared.ts.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../app-env.ts';
import { ApiError } from '../../http/errors.ts';
import { confirmHiddenPin } from './pin.handlers.ts';
import { reportFake } from './report.handlers.ts';
import { answerScan } from './scan.handlers.ts';

/** Largest body of a PIN confirmation or a consumer report, in bytes. */
const MAX_FORM_BYTES = 8 * 1024;

const formLimit = bodyLimit({
  maxSize: MAX_FORM_BYTES,
  onError: () => {
    throw new ApiError('payload_too_large', `Body is larger than ${MAX_FORM_BYTES} bytes`);
  },
});

const notAStamp = () => {
  throw new ApiError('not_found', 'Not a stamp address');
};

/** The consumer's stamp routes (see the module comment). */
export const scanRoutes = new Hono<AppEnv>();
for (const prefix of ['/s', '/S']) {
  scanRoutes.get(`${prefix}/:code`, answerScan);
  scanRoutes.post(`${prefix}/:code/pin`, formLimit, confirmHiddenPin);
  scanRoutes.post(`${prefix}/:code/report`, formLimit, reportFake);
  // Anything else under /s/ is not a stamp: the error envelope, not the admin site's 404 page.
  scanRoutes.all(`${prefix}/*`, notAStamp);
  scanRoutes.all(prefix, notAStamp);
}
