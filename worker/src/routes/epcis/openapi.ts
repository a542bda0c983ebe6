/**
 * The EPCIS routes in the OpenAPI document of `/api/v1` (routes/openapi.ts). Bodies are described
 * by reference to GS1's own EPCIS 2.0 JSON Schema and REST binding rather than copied.
 */
import { CAPTURE_BYTE_LIMIT, CAPTURE_EVENT_LIMIT, MAX_PER_PAGE, QUERY_PARAMETERS } from '../../domain/epcis/exchange.ts';

const GS1_SCHEMA = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-json-schema.json';
const problem = (description: string) => ({
  description,
  content: {
    'application/problem+json': {
      schema: { type: 'object', required: ['type', 'title', 'status'], properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, errors: { type: 'array', items: { type: 'object', properties: { pointer: { type: 'string' }, message: { type: 'string' } } } } } },
    },
  },
});
const security = [{ apiKey: [] }, { session: [] }];
const epcisBody = (what: string) => ({
  required: true,
  description: `${what} (GS1 EPCIS 2.0 JSON-LD, validated against ${GS1_SCHEMA} and the CBV 2.0 vocabularies)`,
  content: { 'application/ld+json': { schema: { type: 'object' } }, 'application/json': { schema: { type: 'object' } } },
});
const captureRefusals = {
  '400': problem('epcisException:ValidationException: the document is refused whole, with every fault and its JSON Pointer'),
  '401': { description: 'No API key or session' },
  '403': problem('epcisException:SecurityException: an enterprise naming products or locations not its own'),
  '413': problem(`epcisException:CaptureLimitExceededException: over ${CAPTURE_EVENT_LIMIT} events or ${CAPTURE_BYTE_LIMIT} bytes`),
  '415': problem('epcisException:UnsupportedMediaTypeException'),
};
const queryDocument = { description: 'An EPCISQueryDocument', content: { 'application/json': { schema: { type: 'object' } } } };

/** The EPCIS 2.0 REST binding's paths this product serves, as OpenAPI 3.1 path items. */
export function epcisPaths() {
  return {
    '/api/v1/epcis/capture': {
      options: { summary: 'Capture discovery: GS1-EPCIS-Version, GS1-CBV-Version, GS1-EPCIS-Capture-Limit, GS1-EPCIS-Capture-File-Size-Limit, GS1-Capture-Error-Behaviour', responses: { '204': { description: 'Headers only' } } },
      post: {
        summary: `Capture an EPCISDocument (at most ${CAPTURE_EVENT_LIMIT} events), all or nothing`,
        description: 'Events without an eventID get the EPCIS event hash ID; an event already stored is stored once. Enterprise keys and users capture only events about their own products (GTINs) and locations; officials and province-wide keys any valid event. Events about a registered lot join its batch.',
        security,
        requestBody: epcisBody('An EPCISDocument'),
        responses: { '202': { description: 'Stored; `Location: /api/v1/epcis/capture/{captureID}`' }, ...captureRefusals },
      },
    },
    '/api/v1/epcis/capture/{captureID}': {
      get: {
        summary: 'The capture job: captureID, createdAt, finishedAt, running, success, captureErrorBehaviour, errors, eventCount, storedCount',
        security,
        parameters: [{ name: 'captureID', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'CaptureJob', content: { 'application/json': { schema: { type: 'object' } } } }, '404': problem('epcisException:NoSuchResourceException') },
      },
    },
    '/api/v1/epcis/events': {
      post: {
        summary: 'Capture one event (with its own @context)',
        security,
        requestBody: epcisBody('One EPCIS event'),
        responses: { '201': { description: 'Stored; `Location: /api/v1/epcis/events/{eventID}`' }, ...captureRefusals },
      },
      get: {
        summary: 'Query events (oldest first); enterprises see their own and those one step back and forward of their lots',
        security,
        parameters: QUERY_PARAMETERS.map((name) => ({
          name,
          in: 'query',
          required: false,
          schema: name === 'perPage' ? { type: 'integer', minimum: 1, maximum: MAX_PER_PAGE } : { type: 'string' },
          ...(['perPage', 'nextPageToken', 'GE_eventTime', 'LT_eventTime'].includes(name) ? {} : { style: 'pipeDelimited', explode: false }),
        })),
        responses: {
          '200': { ...queryDocument, headers: { Link: { description: 'The next page: `<…&nextPageToken=…>; rel="next"`', schema: { type: 'string' } } } },
          '400': problem('epcisException:QueryParameterException: unknown or malformed parameter, or a page token this query did not give'),
        },
      },
    },
    '/api/v1/epcis/events/{eventID}': {
      get: {
        summary: 'One event, as an EPCISQueryDocument',
        security,
        parameters: [{ name: 'eventID', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': queryDocument, '404': problem('epcisException:NoSuchResourceException') },
      },
    },
  };
}
