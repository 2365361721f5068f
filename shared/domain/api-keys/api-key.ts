import { createHash, timingSafeEqual } from 'node:crypto';

export interface ApiKeyRecord {
  id: string;
  storeId: string;
  name: string;
  /** The client application the key belongs to; null for a store-level key. */
  applicationId: string | null;
  /** SHA-256 of the whole key. The key carries 256 random bits, so a fast hash is enough. */
  hash: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** `ak_<26 chars>.<43 chars>`: the id part finds the record, the secret part is checked against its hash. */
const KEY_PATTERN = /^(ak_[0-9a-z]{26})\.([A-Za-z0-9_-]{43})$/;

export const KEY_ID_PREFIX = 'ak';

export function formatApiKey(id: string, secret: Buffer): string {
  return `${id}.${secret.toString('base64url')}`;
}

export function parseApiKey(raw: string): { id: string } | undefined {
  const match = KEY_PATTERN.exec(raw);
  return match?.[1] ? { id: match[1] } : undefined;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function keyMatches(key: string, record: ApiKeyRecord): boolean {
  const expected = Buffer.from(record.hash, 'hex');
  const actual = Buffer.from(hashApiKey(key), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** `lastUsedAt` is refreshed at most this often, so authorizing a request almost never writes. */
export const LAST_USED_RESOLUTION_MS = 5 * 60 * 1000;
