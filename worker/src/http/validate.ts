import { zValidator } from '@hono/zod-validator';
import type { Context, ValidationTargets } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z, type ZodType } from 'zod';
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

/**
 * Reads a JSON or HTML-form (`application/x-www-form-urlencoded`, `multipart/form-data`) body and
 * validates it with a zod schema, for handlers that serve both a browser form and an API caller.
 * Throws {@link ApiError}: `unsupported_media_type` (415) for any other content type, `bad_request`
 * (400) for malformed JSON, `unprocessable_entity` (422) listing each issue's path and message.
 * @returns the parsed value
 */
export async function readBody<T extends ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const type = c.req.header('content-type') ?? '';
  let raw: unknown;
  if (/^application\/json/i.test(type)) {
    try {
      raw = await c.req.json();
    } catch {
      throw new ApiError('bad_request', 'Malformed JSON in request body');
    }
  } else if (/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    raw = await c.req.parseBody();
  } else {
    throw new ApiError('unsupported_media_type', 'Send application/json or an HTML form');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ApiError('unprocessable_entity', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  return parsed.data;
}

// C0/C1 controls, the bidirectional controls that can disguise text (Trojan Source, CVE-2021-42574),
// invisible characters that make look-alike duplicates (zero-width space/joiners, word joiner, BOM),
// and unpaired UTF-16 surrogates (not text at all).
const INVISIBLE = '\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const CONTROL = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${INVISIBLE}]|${LONE_SURROGATE}`);
const CONTROL_EXCEPT_NEWLINES = new RegExp(`[\\u0000-\\u0009\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${INVISIBLE}]|${LONE_SURROGATE}`);

function text(max: number, forbidden: RegExp) {
  return z
    .string()
    .trim()
    .normalize('NFC')
    .min(1, 'must not be empty')
    .max(max, `has at most ${max} characters`)
    .refine((v) => !forbidden.test(v), 'must not contain control characters');
}

/**
 * A one-line text field: trimmed, Unicode NFC (so Vietnamese typed with combining marks equals the
 * precomposed spelling), 1..max characters, no control, bidi-control or invisible characters.
 */
export function singleLine(max: number) {
  return text(max, CONTROL);
}

/** Like {@link singleLine}, but line breaks are allowed (free text such as a consumer's report). */
export function multiLine(max: number) {
  return text(max, CONTROL_EXCEPT_NEWLINES);
}

// ---- Ids ----

/**
 * A row id in a path or query string: text coerced to a number, then a positive safe integer
 * (`"42"` → 42; `"0"`, `"-1"`, `"1.5"` or `"x"` fail). The one id schema of every route.
 */
export const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A row id in a JSON body: a positive safe integer, never a string. */
export const idField = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Path parameters `{ id }` of routes such as `/:id`. */
export const idParams = z.object({ id: idParam });
