// A bench-only Worker, never deployed (served by bench/run.ts on the same workerd as the real one):
// - any path answers 200 "ok" at once: the trivial Worker that the real Worker's cold start is
//   compared with;
// - `GET /hmac?n=N` computes N HMAC-SHA256 tags with WebCrypto the way the Worker signs codes
//   (worker/src/domain/codes.ts: a 32-byte key, a 22-byte message per serial, 512 at a time with
//   Promise.all) and answers `{"n":N}`. The bench times it from outside: inside a request workerd's
//   clock stands still while JavaScript runs.

const BATCH = 512;
const CONTEXT = new TextEncoder().encode('truyxuat/code/v1');

/** The HMAC message of one serial: context || kid (1 byte) || serial (5 bytes big-endian). */
function message(serial) {
  const out = new Uint8Array(CONTEXT.length + 6);
  out.set(CONTEXT, 0);
  out[CONTEXT.length] = 1;
  let s = serial;
  for (let i = 5; i >= 1; i--) {
    out[CONTEXT.length + i] = s % 256;
    s = Math.floor(s / 256);
  }
  return out;
}

async function hmacs(n) {
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  let sink = 0;
  for (let start = 0; start < n; start += BATCH) {
    const size = Math.min(BATCH, n - start);
    const tags = await Promise.all(Array.from({ length: size }, (_, i) => crypto.subtle.sign('HMAC', key, message(1000 + start + i))));
    for (const tag of tags) sink ^= new Uint8Array(tag)[0];
  }
  return sink;
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/hmac') {
      const n = Number(url.searchParams.get('n'));
      if (!Number.isSafeInteger(n) || n < 1 || n > 10_000_000) return new Response('n must be 1..10^7', { status: 400 });
      const sink = await hmacs(n);
      return Response.json({ n, sink });
    }
    return new Response('ok');
  },
};
