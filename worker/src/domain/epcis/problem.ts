/**
 * Error bodies of the EPCIS 2.0 REST binding: RFC 7807 problem details
 * (`application/problem+json`) whose `type` is one of the binding's `epcisException:*` names
 * (GS1 EPCIS 2.0 OpenAPI, `components/schemas/RFC7807ProblemResponseBody`, responses 400–415).
 */
import type { EpcisValidationError } from './rules.ts';

/** The media type of a problem body (RFC 7807 §3). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The binding's exception names this product answers with. */
export type EpcisExceptionType =
  | 'epcisException:ValidationException'
  | 'epcisException:QueryParameterException'
  | 'epcisException:CaptureLimitExceededException'
  | 'epcisException:UnsupportedMediaTypeException'
  | 'epcisException:NoSuchResourceException'
  | 'epcisException:SecurityException';

/** An RFC 7807 body as the binding defines it; `errors` is this product's extension member. */
export interface EpcisProblem {
  type: EpcisExceptionType;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Every fault found, each with its JSON Pointer into the submitted document. */
  errors?: EpcisValidationError[];
}

/** How many errors a problem body lists at most (the detail still counts them all). */
export const MAX_LISTED_ERRORS = 100;

/**
 * The 400 `ValidationException` body for a document that fails validation: a title, a detail
 * naming the first fault and the total, and the faults themselves (at most `MAX_LISTED_ERRORS`).
 *
 * @param errors the faults, as `validateEpcisDocument` returns them (at least one)
 * @param instance optional URI of this occurrence (e.g. the request id as `urn:uuid:…`)
 * @returns the problem body to send with status 400 and `Content-Type: application/problem+json`
 * @throws RangeError when `errors` is empty
 * @example buildValidationProblem([{ pointer: '/epcisBody/eventList/0/bizStep', message: 'unknown CBV 2.0 business step "shiping"; …' }])
 *   // { type: 'epcisException:ValidationException', title: 'The EPCIS document is not valid', status: 400,
 *   //   detail: '1 error; /epcisBody/eventList/0/bizStep: unknown CBV 2.0 business step "shiping"; …', errors: [...] }
 */
export function buildValidationProblem(errors: readonly EpcisValidationError[], instance?: string): EpcisProblem {
  if (errors.length === 0) throw new RangeError('a validation problem needs at least one error');
  const first = errors[0]!;
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  return {
    type: 'epcisException:ValidationException',
    title: 'The EPCIS document is not valid',
    status: 400,
    detail: `${count}; ${first.pointer || '/'}: ${first.message}`,
    ...(instance !== undefined ? { instance } : {}),
    errors: errors.slice(0, MAX_LISTED_ERRORS),
  };
}

/**
 * Any other problem body of the binding (capture limit, media type, unknown resource, security).
 *
 * @example buildEpcisProblem('epcisException:CaptureLimitExceededException', 413, 'Capture payload too large', 'at most 1000 events per capture')
 */
export function buildEpcisProblem(type: EpcisExceptionType, status: number, title: string, detail?: string, instance?: string): EpcisProblem {
  return { type, title, status, ...(detail !== undefined ? { detail } : {}), ...(instance !== undefined ? { instance } : {}) };
}
