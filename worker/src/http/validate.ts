import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ZodType } from 'zod';
import { ApiError } from './errors.ts';

/**
 * Validates one request part with a zod schema; a failed parse throws an `unprocessable_entity`
 * (body) or `bad_request` (path, query) {@link ApiError} listing each issue's path and message.
 * Read the parsed value with `c.req.valid(target)`.
 */
export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      throw new ApiError(target === 'json' ? 'unprocessable_entity' : 'bad_request', summary, issues);
    }
  });
}

/** Refuses request bodies that do not declare `Content-Type: application/json` (415). */
export const requireJson = createMiddleware(async (c, next) => {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new ApiError('unsupported_media_type', 'Content-Type must be application/json');
  }
  await next();
});
