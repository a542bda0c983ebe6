import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

/** Machine-readable error codes of the API's one error envelope, and the HTTP status of each. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable_entity: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * An error meant for the client: thrown anywhere in a request, written by {@link handleError} as
 * `{ "error": { "code", "message", "requestId", "details"? } }` with the code's HTTP status.
 *
 * @example throw new ApiError('not_found', 'Không tìm thấy đợt in tem 42')
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }
}

/** Maps any thrown value to an {@link ApiError}; unknown errors become `internal_error` without leaking their text. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413) return new ApiError('payload_too_large', 'Request body is too large');
    if (status === 401) return new ApiError('unauthorized', err.message || 'Unauthorized');
    if (status === 404) return new ApiError('not_found', err.message || 'Not found');
    if (status >= 400 && status < 500) return new ApiError('bad_request', err.message || 'Bad request');
  }
  return new ApiError('internal_error', 'Internal error');
}

/** The app's single `onError`: writes the error envelope, logs unexpected errors, never a stack. */
export function handleError(err: unknown, c: Context): Response {
  const apiError = toApiError(err);
  const requestId = (c.get('requestId' as never) as string | undefined) ?? null;
  if (apiError.code === 'internal_error') console.error('unhandled error', requestId, err);
  const body = {
    error: {
      code: apiError.code,
      message: apiError.message,
      requestId,
      ...(apiError.details === undefined ? {} : { details: apiError.details }),
    },
  };
  return c.json(body, apiError.status as 400);
}
