import { Hono } from 'hono';
import { z } from 'zod';
import { listVoids, voidRange } from '../../../db/queries/lifecycle.ts';
import { SERIAL_MAX } from '../domain/codes.ts';
import type { AppEnv } from '../app-env.ts';
import { requireUser } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { singleLine, requireJson, validate } from '../http/validate.ts';

const serial = z.number().int().positive().max(SERIAL_MAX);
const voidBody = z
  .strictObject({ firstSerial: serial, lastSerial: serial, reason: singleLine(500) })
  .refine((v) => v.lastSerial >= v.firstSerial, { message: 'lastSerial must not be below firstSerial', path: ['lastSerial'] })
  .refine((v) => v.lastSerial - v.firstSerial < 1_000_000, { message: 'at most 1000000 stamps per void', path: ['lastSerial'] });

/** `GET/POST /api/voids` (officials): take a serial range out of use. */
export const voidRoutes = new Hono<AppEnv>()
  .use(requireUser('admin', 'official'))
  .get('/', async (c) => c.json({ items: await listVoids(c.var.db) }))
  .post('/', requireJson, validate('json', voidBody), async (c) => {
    const body = c.req.valid('json');
    const id = await voidRange(c.var.db, body, { userId: c.var.user.id, requestId: c.var.requestId });
    if (id === 'not_issued') throw new ApiError('unprocessable_entity', 'Part of the range belongs to no print run');
    if (id === 'already_voided') throw new ApiError('conflict', 'The whole range is already voided');
    return c.json({ id, ...body, quantity: body.lastSerial - body.firstSerial + 1 }, 201);
  });
