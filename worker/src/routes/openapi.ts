import { Hono } from 'hono';
import { z } from 'zod';
import { API_LIMITS } from '../domain/api-keys.ts';
import { JWKS_MAX_AGE_SECONDS } from '../domain/signing.ts';
import type { AppEnv } from '../app-env.ts';
import { ERROR_STATUS } from '../http/errors.ts';
import { createApiKeySchema } from './api-keys.ts';
import { epcisPaths } from './epcis/openapi.ts';
import { usageSchema, verificationPayloadSchema, verificationResultSchema, verifyRequestSchema } from './verify.ts';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const uri = (id: string) => `#/components/schemas/${id}`;

const errorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS]),
    message: z.string(),
    requestId: z.string().nullable(),
    details: z.unknown().optional(),
  }),
});

const jwksSchema = z.object({
  keys: z.array(
    z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), kid: z.string(), x: z.string(), use: z.literal('sig'), alg: z.literal('EdDSA') }),
  ),
});

/**
 * The OpenAPI 3.1 document of the enterprise API, generated from the zod schemas that validate its
 * requests and type its answers (`z.toJSONSchema`, JSON Schema 2020-12 as OpenAPI 3.1 uses).
 */
export function openApiDocument(serverUrl: string) {
  const requests = z.registry<{ id: string }>();
  requests.add(verifyRequestSchema, { id: 'VerifyRequest' });
  requests.add(createApiKeySchema, { id: 'CreateApiKeyRequest' });
  const answers = z.registry<{ id: string }>();
  answers.add(verificationResultSchema, { id: 'VerificationResult' });
  answers.add(verificationPayloadSchema, { id: 'VerificationPayload' });
  answers.add(usageSchema, { id: 'Usage' });
  answers.add(errorSchema, { id: 'Error' });
  answers.add(jwksSchema, { id: 'JWKS' });
  const schemas = {
    ...z.toJSONSchema(requests, { io: 'input', uri }).schemas,
    ...z.toJSONSchema(answers, { io: 'output', uri }).schemas,
  };
  for (const schema of Object.values(schemas)) delete (schema as { $schema?: string }).$schema;

  const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
  const refusals = {
    '401': error('No API key, or an unknown or revoked one'),
    '429': {
      ...error(`Over the per-key limit (${API_LIMITS.requestsPerWindow} requests or ${API_LIMITS.codesPerWindow} codes per minute)`),
      headers: { 'Retry-After': { description: 'Seconds until the next window', schema: { type: 'integer' } } },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Truy xuất: API xác thực tem',
      version: '1.0.0',
      description:
        'Bulk verification of traceability stamps. Answers are compact JWS (EdDSA, Ed25519) signed by the province; verify them offline with the keys at /.well-known/jwks.json.',
    },
    servers: [{ url: serverUrl }],
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key `txk_…` created on the admin site (Khóa API).' },
        session: { type: 'http', scheme: 'bearer', description: 'A session token from POST /api/auth/login (or the session cookie).' },
      },
    },
    paths: {
      '/api/v1/verify': {
        post: {
          summary: 'Verify up to 1,000 stamps and get a signed result',
          description:
            'Each entry is answered in order (a repeated entry is checked once). Enterprise checks are recorded apart from consumer scans and never change first-scan state. The JWS payload is a VerificationPayload.',
          security: [{ apiKey: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('VerifyRequest') } } },
          responses: {
            '200': {
              description: 'A compact JWS (header `alg` EdDSA, `kid`) whose payload is a VerificationPayload',
              content: { 'application/jose': { schema: { type: 'string', contentMediaType: 'application/jose', contentSchema: ref('VerificationPayload') } } },
            },
            '400': error('Broken JSON'),
            ...refusals,
            '413': error(`Body larger than ${API_LIMITS.maxBodyBytes} bytes`),
            '415': error('Content-Type is not application/json'),
            '422': error(`Not 1 to ${API_LIMITS.codesPerRequest} string entries`),
          },
        },
      },
      '/api/v1/producers/{producerId}/usage': {
        get: {
          summary: "A company's API usage per minute over the last 24 hours",
          security: [{ apiKey: [] }],
          parameters: [{ name: 'producerId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
          responses: {
            '200': { description: 'Usage', content: { 'application/json': { schema: ref('Usage') } } },
            ...refusals,
            '403': error("The key belongs to another company (company-private data)"),
          },
        },
      },
      '/.well-known/jwks.json': {
        get: {
          summary: 'Public keys that verify signed results (current, announced and retired within the validity window)',
          responses: {
            '200': {
              description: `JWK Set; cacheable for ${JWKS_MAX_AGE_SECONDS} s`,
              content: { 'application/json': { schema: ref('JWKS') } },
            },
          },
        },
      },
      '/api/api-keys': {
        get: {
          summary: 'List API keys (officials: all; enterprise users: their company’s)',
          security: [{ session: [] }],
          responses: { '200': { description: '{"items":[{id,name,producerId,keyPrefix,createdAt,lastUsedAt,revokedAt}]}' } },
        },
        post: {
          summary: 'Create an API key; the key is in this answer only',
          security: [{ session: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('CreateApiKeyRequest') } } },
          responses: { '201': { description: '{id,key,name,producerId,keyPrefix,createdAt,…}' }, '403': error('Another company'), '422': error('Invalid body') },
        },
      },
      '/api/api-keys/{id}': {
        delete: {
          summary: 'Revoke an API key',
          security: [{ session: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
          responses: { '204': { description: 'Revoked' }, '404': error('No such key (or another company’s)') },
        },
      },
      ...epcisPaths(),
    },
  };
}

/** `GET /api/v1/openapi.json`: the OpenAPI 3.1 document (public). */
export const openApiRoutes = new Hono<AppEnv>().get('/', (c) => {
  c.header('cache-control', 'public, max-age=300');
  return c.json(openApiDocument(c.env.PUBLIC_BASE_URL));
});
