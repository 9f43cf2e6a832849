import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;

const KEY_LEN = 32;

/**
 * scrypt from node:crypto (memory-hard; no native add-on to build). The cost parameters are
 * stored with the hash, so raising the cost later keeps old hashes verifiable.
 * Format: `scrypt$N$r$p$salt(base64)$hash(base64)`.
 */
export async function hashPassword(password: string, cost = 32768): Promise<string> {
  const salt = crypto.randomBytes(16);
  const r = 8;
  const p = 1;
  const hash = await scrypt(password.normalize('NFC'), salt, KEY_LEN, { N: cost, r, p, maxmem: 256 * cost * r + 1024 * 1024 });
  return `scrypt$${cost}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, hashB64] = parts as [string, string, string, string, string, string];
  const N = Number(n);
  const R = Number(r);
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(saltB64, 'base64'), expected.length, {
    N,
    r: R,
    p: Number(p),
    maxmem: 256 * N * R + 1024 * 1024,
  });
  return crypto.timingSafeEqual(actual, expected);
}

/** A hash of a random password, verified against when the user does not exist, so that a wrong
 *  user name costs as much time as a wrong password. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(cost: number): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'), cost);
  return dummyHash;
}

/** SHA-256 hex: for high-entropy secrets (API and setup tokens), where a slow hash buys nothing. */
export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export function randomToken(bytes = 24): string {
  return crypto.randomBytes(bytes).toString('base64url');
}
