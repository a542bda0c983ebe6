/**
 * Same-origin JSON API client for the admin site.
 *
 * The session lives in an HttpOnly cookie set by `POST /api/auth/login`, so every request
 * just sends credentials. A 401 sends the browser to the login page (unless the caller
 * opts out, as the login form does); any other failure throws an {@link ApiError} built
 * from the error envelope `{ "error": { "code", "message", "requestId" } }`.
 */
import type { User } from './api-types';
import { vi } from './i18n';

export const LOGIN_PATH = '/login/';

/** An API failure: HTTP status plus the error envelope's fields. `status` 0 means no answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON when present. */
  body?: unknown;
  /** When false, a 401 throws instead of redirecting to the login page. Default true. */
  redirectOn401?: boolean;
}

/**
 * Calls `path` (e.g. `/api/producers`) and returns the parsed JSON body, or `null` for 204.
 *
 * @throws ApiError for non-2xx answers and network failures.
 * @example const { items } = await api<{ items: Producer[] }>('/api/producers'); // Producer from api-types.ts
 */
export async function api<T = unknown>(path: string, options: ApiOptions = {}): Promise<T> {
  const { method = 'GET', body, redirectOn401 = true } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (err) {
    // The browser's own words ("Failed to fetch") become the detail under the Vietnamese line.
    throw new ApiError(0, 'network_error', err instanceof Error ? err.message : String(err));
  }

  if (res.status === 401 && redirectOn401) {
    const here = location.pathname + location.search;
    location.assign(here === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(here)}`);
    // Never settle: the page is going away and callers should not render anything else.
    return new Promise<T>(() => {});
  }

  if (res.status === 204) return null as T;

  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (!res.ok) {
    const err = (data as { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | null)?.error;
    throw new ApiError(
      res.status,
      typeof err?.code === 'string' ? err.code : 'http_' + res.status,
      typeof err?.message === 'string' && err.message ? err.message : vi.errors.generic,
      typeof err?.requestId === 'string' ? err.requestId : undefined,
    );
  }
  return data as T;
}

/**
 * The `items` of a list endpoint (`{ "items": [...] }`).
 * @example const producers = await getItems<Producer>('/api/producers');
 */
export async function getItems<T>(path: string): Promise<T[]> {
  return (await api<{ items: T[] }>(path)).items;
}

/** Officials (and admins) may recall batches, void serials, close alerts and issue province-wide keys. */
export function isOfficial(user: Pick<User, 'role'>): boolean {
  return user.role === 'admin' || user.role === 'official';
}

let mePromise: Promise<User> | undefined;

/**
 * Resolves with the signed-in user, or redirects to the login page on 401.
 * Shared by the layout and the page scripts, so `/api/auth/me` is fetched once per page.
 */
export function requireUser(): Promise<User> {
  mePromise ??= api<{ user: User }>('/api/auth/me').then((r) => r.user);
  return mePromise;
}

/** Download URLs of a print run's files (same origin, the cookie authorises them). */
export const printRunFiles = {
  manifest: (id: number | string) => `/api/print-runs/${encodeURIComponent(String(id))}/manifest.csv`,
  labels: (id: number | string, page: number) =>
    `/api/print-runs/${encodeURIComponent(String(id))}/labels.svg?page=${page}`,
  detailPage: (id: number | string) => `/print-runs/detail/?id=${encodeURIComponent(String(id))}`,
};

/** The alert detail page of alert `id`. */
export const alertPage = (id: number | string) => `/alerts/detail/?id=${encodeURIComponent(String(id))}`;

/** The traceability page of batch `id`: its timeline, stage form, trace and completeness. */
export const batchPage = (id: number | string) => `/batches/detail/?id=${encodeURIComponent(String(id))}`;
