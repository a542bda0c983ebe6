// @types/node declares the global `CryptoKey` value but leaves its type to the DOM library, which
// Node-side code does not load. Domain modules that Node scripts run (stamp codes, signing keys)
// name the type; in Node it is WebCrypto's key, as here.
import type { webcrypto } from 'node:crypto';

declare global {
  interface CryptoKey extends webcrypto.CryptoKey {}
}

export {};
