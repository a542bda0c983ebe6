import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { listProducerUsage } from '../../../db/queries/api-clients.ts';
import { recordEnterpriseChecks, type StampRef } from '../../../db/queries/verify.ts';
import { STAMP_KINDS } from '../../../db/schema.ts';
import { API_LIMITS, checkUsage } from '../domain/api-keys.ts';
import { parseKeyring, verifyCode } from '../domain/codes.ts';
import { parseSigningKeys, RESULT_VALIDITY_SECONDS, selectSigningKey, signPayload } from '../domain/signing.ts';
import { buildVerificationAnswer, VERDICTS } from '../domain/stamp-answer.ts';
import { extractCode, mayReadPrivate } from '../domain/verification.ts';
import type { AppEnv } from '../app-env.ts';
import { limitsFor, requireApiClient, throwIfLimited } from '../http/api-client.ts';
import { ApiError } from '../http/errors.ts';
import { requireJson, validate } from '../http/validate.ts';

// ---- Schemas: they validate requests, type the answers, and generate the OpenAPI document. ----

/** Body of `POST /api/v1/verify`. */
export const verifyRequestSchema = z
  .strictObject({
    codes: z
      .array(
        z
          .string({ error: 'each entry must be a string (a code or a scan URL)' })
          .max(API_LIMITS.maxEntryLength, `each entry has at most ${API_LIMITS.maxEntryLength} characters`),
        { error: 'codes must be an array of strings' },
      )
      .min(1, 'send at least 1 code')
      .max(API_LIMITS.codesPerRequest, `send at most ${API_LIMITS.codesPerRequest} codes per request`)
      .meta({
        description: 'Stamp codes (`100000001C6350RCAW`, any case) or printed scan URLs (`https://…/S/CODE`).',
        example: ['https://truyxuat.quangninh.gov.vn/S/100000001C6350RCAW'],
      }),
  });

/** One entry's answer, in the order of the request. */
export const verificationResultSchema = z
  .object({
    code: z.string().meta({ description: 'The entry as sent.' }),
    verdict: z.enum(VERDICTS).meta({ description: 'Same verdicts as the consumer scan page.' }),
    reasons: z
      .array(z.string())
      .optional()
      .meta({ description: 'When the verdict is `suspect`: the clone rules that fired (e.g. `many_sessions`, `pin_reused`).' }),
    serial: z.number().int().nullable(),
    kind: z.enum(STAMP_KINDS).nullable(),
    product: z.object({ name: z.string(), gtin: z.string() }).nullable(),
    producer: z.object({ name: z.string(), taxCode: z.string() }).nullable(),
    batch: z.object({ lotCode: z.string(), productionDate: z.string(), expiryDate: z.string().nullable() }).nullable(),
    scan: z
      .object({ count: z.number().int(), firstScanAt: z.string().nullable() })
      .nullable()
      .meta({
        description:
          "Consumer scans (enterprise checks never count): the owner's private data. Null unless the key is province-wide or belongs to the stamp's company.",
      }),
  });

/** The signed payload (JWS payload, JSON). */
export const verificationPayloadSchema = z
  .object({
    iss: z.string().meta({ description: 'The province system (its public origin).' }),
    iat: z.number().int().meta({ description: 'Signed at, seconds since the epoch.' }),
    exp: z.number().int().meta({ description: `iat + ${RESULT_VALIDITY_SECONDS} s (2 years): the signing-key retention window.` }),
    requestId: z.string(),
    client: z.number().int().meta({ description: 'Id of the API client that asked.' }),
    results: z.array(verificationResultSchema),
  });

export type VerificationResult = z.infer<typeof verificationResultSchema>;

/** Path parameter of the company-private endpoints. */
export const producerParamSchema = z.object({ producerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** Answer of `GET /api/v1/producers/{producerId}/usage`. */
export const usageSchema = z
  .object({
    producerId: z.number().int(),
    windows: z.array(z.object({ windowStart: z.string(), requests: z.number().int(), codes: z.number().int() })),
  });

const refKey = (r: StampRef) => `${r.serial}:${r.kid}`;

/**
 * The enterprise verification API (`/api/v1`), authenticated by API key:
 * - `POST /verify`: verdicts for up to 1,000 codes, as a compact JWS signed by the province;
 * - `GET /producers/{producerId}/usage`: a company's API usage (company-private: other companies' keys get 403).
 */
export const verifyRoutes = new Hono<AppEnv>()
  .post(
    '/verify',
    bodyLimit({
      maxSize: API_LIMITS.maxBodyBytes,
      onError: () => {
        throw new ApiError('payload_too_large', `Request body is larger than ${API_LIMITS.maxBodyBytes} bytes`);
      },
    }),
    requireApiClient,
    requireJson,
    validate('json', verifyRequestSchema),
    async (c) => {
      const { codes } = c.req.valid('json');
      const client = c.var.apiClient;
      throwIfLimited(
        c,
        checkUsage({ requests: client.requests, codesBefore: client.codes, codes: codes.length }, limitsFor(c.env)),
        client.retryAfterSeconds,
      );
      const now = new Date();
      // Configuration problems surface before anything is written.
      const signingKey = selectSigningKey(parseSigningKeys(c.env.SIGNING_KEYS), now);
      const keyring = await parseKeyring(c.env.STAMP_KEYS);

      // Each distinct entry is verified once, offline; each distinct stamp is looked up once.
      const distinct = [...new Set(codes)];
      const verified = new Map(await Promise.all(distinct.map(async (e) => [e, await verifyCode(keyring, extractCode(e))] as const)));
      const refs = new Map<string, StampRef>();
      for (const v of verified.values()) if (v.ok) refs.set(refKey(v), { serial: v.serial, kid: v.kid });
      const contexts = await recordEnterpriseChecks(c.var.db, [...refs.values()], {
        apiClientId: client.id,
        at: now,
        windowStart: client.windowStart,
        codes: codes.length,
      });
      const byRef = new Map(contexts.map((ctx) => [refKey(ctx), ctx]));
      const results = codes.map((code) => {
        const v = verified.get(code)!;
        return buildVerificationAnswer(code, v.ok ? byRef.get(refKey(v)) : undefined, client.producerId);
      });

      const iat = Math.floor(now.getTime() / 1000);
      const payload: z.infer<typeof verificationPayloadSchema> = {
        iss: c.env.PUBLIC_BASE_URL,
        iat,
        exp: iat + RESULT_VALIDITY_SECONDS,
        requestId: c.var.requestId,
        client: client.id,
        results,
      };
      const jws = await signPayload(signingKey, payload);
      return c.body(jws, 200, { 'content-type': 'application/jose', 'cache-control': 'no-store' });
    },
  )
  .get('/producers/:producerId/usage', requireApiClient, validate('param', producerParamSchema), async (c) => {
    const { producerId } = c.req.valid('param');
    const client = c.var.apiClient;
    if (!mayReadPrivate(client.producerId, producerId)) {
      throw new ApiError('forbidden', "This API key may read only its own company's data");
    }
    const since = client.windowStart - 24 * 60 * API_LIMITS.windowMs;
    const windows = await listProducerUsage(c.var.db, producerId, since);
    c.header('cache-control', 'no-store');
    return c.json({ producerId, windows });
  });
