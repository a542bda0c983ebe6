import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from './errors.ts';
import { multiLine, readBody, singleLine } from './validate.ts';

describe('singleLine', () => {
  const field = singleLine(20);
  it.each<[string, string]>([
    ['  Hợp tác xã  ', 'Hợp tác xã'],
    ['Ha\u0323 Long', 'Hạ Long'], // NFD → NFC
    ['Chè 🍵', 'Chè 🍵'], // a surrogate pair is fine
  ])('takes %j as %j', (input, expected) => {
    expect(field.parse(input)).toBe(expected);
  });
  it.each([
    ['empty', '   '],
    ['too long', 'x'.repeat(21)],
    ['NUL', 'a\u0000b'],
    ['newline', 'a\nb'],
    ['bidi override', 'abc\u202edef'],
    ['zero-width space', 'HTX\u200bA'],
    ['byte order mark inside', 'HT\ufeffX'],
    ['lone high surrogate', 'a\ud800b'],
    ['lone low surrogate', 'a\udc00b'],
  ])('refuses %s', (_name, input) => {
    expect(field.safeParse(input).success).toBe(false);
  });
});

describe('multiLine', () => {
  it('keeps line breaks but refuses other controls', () => {
    expect(multiLine(50).parse('dòng 1\r\ndòng 2')).toBe('dòng 1\r\ndòng 2');
    expect(multiLine(50).safeParse('a\u0007b').success).toBe(false);
    expect(multiLine(50).safeParse('a\u200bb').success).toBe(false);
  });
});

describe('readBody', () => {
  const schema = z.object({ pin: z.string().regex(/^[0-9]{4}$/, 'must be 4 digits') });
  const app = new Hono().post('/', async (c) => {
    try {
      return c.json({ ok: await readBody(c, schema) });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return c.json({ status: err.status, code: err.code, message: err.message, details: err.details ?? null });
    }
  });
  // A FormData body sets its own multipart content type; a byte body sets none.
  const post = async (type: string | null, body: BodyInit) =>
    (await app.request('/', { method: 'POST', headers: type ? { 'content-type': type } : {}, body })).json();
  const multipart = () => {
    const form = new FormData();
    form.set('pin', '1234');
    return form;
  };

  it.each<[string, () => Promise<unknown>, unknown]>([
    ['JSON', () => post('application/json', '{"pin":"1234"}'), { ok: { pin: '1234' } }],
    ['JSON with a charset', () => post('application/json; charset=utf-8', '{"pin":"1234"}'), { ok: { pin: '1234' } }],
    ['an HTML form', () => post('application/x-www-form-urlencoded', 'pin=1234'), { ok: { pin: '1234' } }],
    ['a multipart form', () => post(null, multipart()), { ok: { pin: '1234' } }],
    ['malformed JSON', () => post('application/json', '{"pin":'), { status: 400, code: 'bad_request', message: 'Malformed JSON in request body', details: null }],
    ['plain text', () => post('text/plain', 'pin=1234'), { status: 415, code: 'unsupported_media_type', message: 'Send application/json or an HTML form', details: null }],
    ['no content type', () => post(null, new TextEncoder().encode('pin=1234')), { status: 415, code: 'unsupported_media_type', message: 'Send application/json or an HTML form', details: null }],
    [
      'an invalid field',
      () => post('application/x-www-form-urlencoded', 'pin=12'),
      { status: 422, code: 'unprocessable_entity', message: 'pin: must be 4 digits', details: [{ path: 'pin', message: 'must be 4 digits' }] },
    ],
  ])('reads %s', async (_name, send, expected) => {
    expect(await send()).toEqual(expected);
  });
});
