/**
 * The traceability feature (issue 7): locations, partners, trace events and error declarations,
 * trace back / forward, Circular 02/2024 completeness, the portal record export and the recall
 * scope. Each router is mounted in app.ts.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { batchReadRoutes, complianceRoutes } from './batch-trace.ts';
import { batchEventRoutes } from './events.ts';

export { locationRoutes } from './locations.ts';
export { partnerRoutes } from './partners.ts';
export { traceEventRoutes } from './events.ts';

/** Routes under `/api/batches/{id}/…`. */
export const batchTraceRoutes = new Hono<AppEnv>().route('/', batchEventRoutes).route('/', batchReadRoutes);

/** Routes under `/api` not tied to one batch (product compliance, the province summary). */
export const traceApiRoutes = new Hono<AppEnv>().route('/', complianceRoutes);
