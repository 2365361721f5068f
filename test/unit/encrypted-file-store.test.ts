import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncryptedFileStore } from '../../shared/adapters/secrets/encrypted-file-store.ts';

const NAME = 'gateways/gw_01abc';
const VALUE = { password: 'correct-horse-battery', proxyPassword: 'staple-proxy' };

let dir: string;
const dataFile = () => join(dir, 'secrets.json');
const keyFile = () => join(dir, 'secret.key');
const readEntries = async () =>
  JSON.parse(await readFile(dataFile(), 'utf8')) as Record<string, { iv: string; tag: string; data: string }>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'encrypted-file-store-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EncryptedFileStore', () => {
  it('round-trips a value and replaces it on a second put', async () => {
    const store = await EncryptedFileStore.open(dir);

    await store.put(NAME, VALUE);
    await expect(store.get(NAME)).resolves.toStrictEqual(VALUE);

    await store.put(NAME, { password: 'new' });
    await expect(store.get(NAME)).resolves.toStrictEqual({ password: 'new' });
  });

  it('returns undefined for a missing name, before and after the file exists', async () => {
    const store = await EncryptedFileStore.open(dir);
    await expect(store.get(NAME)).resolves.toBeUndefined();

    await store.put('gateways/other', VALUE);
    await expect(store.get(NAME)).resolves.toBeUndefined();
  });

  it('creates a missing data directory', async () => {
    const nested = join(dir, 'a', 'b');
    const store = await EncryptedFileStore.open(nested);
    await store.put(NAME, VALUE);

    await expect(store.get(NAME)).resolves.toStrictEqual(VALUE);
  });

  it.skipIf(process.platform === 'win32')(
    'creates a 32-byte key and the data file with mode 0600',
    async () => {
      const store = await EncryptedFileStore.open(dir);
      await store.put(NAME, VALUE);

      expect((await readFile(keyFile())).length).toBe(32);
      expect((await stat(keyFile())).mode & 0o777).toBe(0o600);
      expect((await stat(dataFile())).mode & 0o777).toBe(0o600);
    },
  );

  it('reuses the key on reopen', async () => {
    const first = await EncryptedFileStore.open(dir);
    await first.put(NAME, VALUE);
    const key = await readFile(keyFile());

    const second = await EncryptedFileStore.open(dir);

    expect(await readFile(keyFile())).toStrictEqual(key);
    await expect(second.get(NAME)).resolves.toStrictEqual(VALUE);
  });

  it('agrees on one key when opened concurrently', async () => {
    const stores = await Promise.all(Array.from({ length: 10 }, () => EncryptedFileStore.open(dir)));
    await stores[0]!.put(NAME, VALUE);

    for (const store of stores) await expect(store.get(NAME)).resolves.toStrictEqual(VALUE);
    expect((await readdir(dir)).sort()).toStrictEqual(['secret.key', 'secrets.json']);
  });

  it('refuses a key file of the wrong length', async () => {
    await writeFile(keyFile(), Buffer.alloc(16));

    await expect(EncryptedFileStore.open(dir)).rejects.toThrow(/secret\.key holds 16 bytes, expected 32/);
  });

  it('does not write the plaintext to disk', async () => {
    const store = await EncryptedFileStore.open(dir);
    await store.put(NAME, VALUE);

    const text = await readFile(dataFile(), 'utf8');
    expect(text).toContain(NAME);
    expect(text).not.toContain('correct-horse');
    expect(text).not.toContain('staple');
    expect(text).not.toContain(Buffer.from(JSON.stringify(VALUE)).toString('base64').slice(0, 12));
  });

  it('uses a fresh IV for every write', async () => {
    const store = await EncryptedFileStore.open(dir);
    await store.put(NAME, VALUE);
    const first = (await readEntries())[NAME]!;
    await store.put(NAME, VALUE);
    const second = (await readEntries())[NAME]!;

    expect(Buffer.from(first.iv, 'base64').length).toBe(12);
    expect(second.iv).not.toBe(first.iv);
    expect(second.data).not.toBe(first.data);
  });

  it.each(['data', 'tag', 'iv'] as const)('refuses an entry whose %s was tampered with', async (field) => {
    const store = await EncryptedFileStore.open(dir);
    await store.put(NAME, VALUE);
    const entries = await readEntries();
    const bytes = Buffer.from(entries[NAME]![field], 'base64');
    bytes[0] = bytes[0]! ^ 0x01;
    entries[NAME]![field] = bytes.toString('base64');
    await writeFile(dataFile(), JSON.stringify(entries));

    const error = await store.get(NAME).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/cannot be decrypted/);
    expect((error as Error).message).not.toContain('correct-horse');
  });

  it('refuses a truncated tag', async () => {
    const store = await EncryptedFileStore.open(dir);
    await store.put(NAME, VALUE);
    const entries = await readEntries();
    entries[NAME]!.tag = Buffer.from(entries[NAME]!.tag, 'base64').subarray(0, 4).toString('base64');
    await writeFile(dataFile(), JSON.stringify(entries));

    await expect(store.get(NAME)).rejects.toThrow(/cannot be decrypted/);
  });

  it('refuses an entry moved to another name', async () => {
    const store = await EncryptedFileStore.open(dir);
    await store.put(NAME, VALUE);
    const entries = await readEntries();
    await writeFile(dataFile(), JSON.stringify({ 'gateways/gw_02xyz': entries[NAME] }));

    await expect(store.get('gateways/gw_02xyz')).rejects.toThrow(/cannot be decrypted/);
  });

  it('refuses an entry written under another key', async () => {
    const store = await EncryptedFileStore.open(dir);
    await store.put(NAME, VALUE);
    await writeFile(keyFile(), Buffer.alloc(32, 7));

    await expect((await EncryptedFileStore.open(dir)).get(NAME)).rejects.toThrow(/cannot be decrypted/);
  });

  it('keeps all of 50 parallel puts', async () => {
    const store = await EncryptedFileStore.open(dir);
    const names = Array.from({ length: 50 }, (_, i) => `gateways/gw_${String(i).padStart(2, '0')}`);

    await Promise.all(names.map((name) => store.put(name, { password: `pw-${name}` })));

    for (const name of names)
      await expect(store.get(name)).resolves.toStrictEqual({ password: `pw-${name}` });
    expect(Object.keys(await readEntries()).sort()).toStrictEqual(names);
    // No temporary files left behind.
    expect((await readdir(dir)).sort()).toStrictEqual(['secret.key', 'secrets.json']);
  });

  it('serializes writes across stores opened on the same directory', async () => {
    const [a, b] = await Promise.all([EncryptedFileStore.open(dir), EncryptedFileStore.open(dir)]);

    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).put(`gateways/gw_${i}`, { password: String(i) })),
    );

    expect(Object.keys(await readEntries())).toHaveLength(20);
  });

  it('sees values written by another store instance', async () => {
    const a = await EncryptedFileStore.open(dir);
    const b = await EncryptedFileStore.open(dir);

    await a.put(NAME, VALUE);
    await expect(b.get(NAME)).resolves.toStrictEqual(VALUE);
    await b.delete(NAME);
    await expect(a.get(NAME)).resolves.toBeUndefined();
  });

  it('deletes idempotently', async () => {
    const store = await EncryptedFileStore.open(dir);
    await expect(store.delete(NAME)).resolves.toBeUndefined();

    await store.put(NAME, VALUE);
    await store.put('gateways/keep', VALUE);
    await store.delete(NAME);
    await expect(store.delete(NAME)).resolves.toBeUndefined();

    await expect(store.get(NAME)).resolves.toBeUndefined();
    await expect(store.get('gateways/keep')).resolves.toStrictEqual(VALUE);
  });

  it('treats __proto__ as an ordinary name', async () => {
    const store = await EncryptedFileStore.open(dir);
    await store.put('__proto__', VALUE);

    await expect(store.get('__proto__')).resolves.toStrictEqual(VALUE);
    await expect((await EncryptedFileStore.open(dir)).get('__proto__')).resolves.toStrictEqual(VALUE);
  });

  it('refuses a data file that is not a JSON object', async () => {
    const store = await EncryptedFileStore.open(dir);
    await writeFile(dataFile(), 'garbage');

    await expect(store.get(NAME)).rejects.toThrow(/secrets\.json is not a JSON object/);
  });
});
