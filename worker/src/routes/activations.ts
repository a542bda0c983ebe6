import { Hono } from 'hono';
import { z } from 'zod';
import { findBatch } from '../../../db/queries/catalog.ts';
import { activateRange, checkActivation, listActivations, listAllocations } from '../../../db/queries/print-runs.ts';
import type { AppEnv } from '../app-env.ts';
import { isOfficial, requireUser } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { idField, idParam, requireJson, validate } from '../http/validate.ts';

// Serials as the activation body has always taken them; the print run's range bounds them.
const serial = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** Largest range one activation may bind (a print run's maximum). */
const MAX_ACTIVATION_SIZE = 1_000_000;

const activationBody = z
  .strictObject({ printRunId: idField, firstSerial: serial, lastSerial: serial, batchId: idField })
  .refine((b) => b.lastSerial >= b.firstSerial, { message: 'lastSerial must not be below firstSerial', path: ['lastSerial'] })
  .refine((b) => b.lastSerial - b.firstSerial < MAX_ACTIVATION_SIZE, {
    message: `at most ${MAX_ACTIVATION_SIZE} stamps per activation`,
    path: ['lastSerial'],
  });

const PROBLEMS = {
  print_run_not_found: ['not_found', 'No such print run'],
  batch_not_found: ['not_found', 'No such batch'],
  outside_print_run: ['unprocessable_entity', 'The range is not inside the print run'],
  outside_allocation: ['unprocessable_entity', "The range is not inside one allocation to the batch's producer"],
  overlaps_activation: ['conflict', 'Part of the range is already activated'],
} as const;

/** Activation: bind a serial range of a producer's allocation to one of its batches. */
export const activationRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/', validate('query', z.object({ printRunId: idParam.optional() })), async (c) => {
    const { printRunId } = c.req.valid('query');
    const user = c.var.user;
    const producerId = isOfficial(user) ? undefined : (user.producerId ?? -1);
    return c.json({ items: await listActivations(c.var.db, { printRunId, producerId }) });
  })
  .post('/', requireJson, validate('json', activationBody), async (c) => {
    const body = c.req.valid('json');
    const batch = await findBatch(c.var.db, body.batchId);
    // Another producer's batch is answered as missing: enterprise users learn nothing about it.
    if (!batch || (!isOfficial(c.var.user) && batch.producerId !== c.var.user.producerId)) {
      throw new ApiError('not_found', `No batch ${body.batchId}`);
    }
    // Enterprise users may only name print runs allocated to them: others are answered as missing,
    // so the answers below reveal nothing about other producers' runs.
    if (!isOfficial(c.var.user)) {
      const allocations = await listAllocations(c.var.db, [body.printRunId]);
      if (!allocations.some((a) => a.producerId === c.var.user.producerId)) throw new ApiError('not_found', 'No such print run');
    }
    const problem = await checkActivation(c.var.db, body);
    if (problem) {
      const [code, message] = PROBLEMS[problem];
      throw new ApiError(code, message);
    }
    const activationId = await activateRange(c.var.db, body, { userId: c.var.user.id, requestId: c.var.requestId });
    if (activationId === null) throw new ApiError('conflict', 'The range changed meanwhile; check it and try again');
    return c.json({ id: activationId, ...body, quantity: body.lastSerial - body.firstSerial + 1 }, 201);
  });
