import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SecretStore, SecretValue } from '../../ports/secret-store.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

type Entry = { iv: string; tag: string; data: string };

/** Per data file, not per instance: two stores opened on one directory must not interleave writes. */
const writeQueues = new Map<string, Promise<unknown>>();

/** Local mode only: AES-256-GCM under a key file next to the data. */
export class EncryptedFileStore implements SecretStore {
  private constructor(
    private readonly key: Buffer,
    private readonly file: string,
  ) {}

  static async open(dataDir: string): Promise<EncryptedFileStore> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const key = await loadOrCreateKey(join(dataDir, 'secret.key'));
    return new EncryptedFileStore(key, resolve(dataDir, 'secrets.json'));
  }

  async put(name: string, value: SecretValue): Promise<void> {
    await this.mutate((entries) => {
      entries.set(name, seal(this.key, name, value));
      return true;
    });
  }

  async get(name: string): Promise<SecretValue | undefined> {
    // The rename in write() is atomic, so a read needs no place in the queue.
    const entry = (await this.read()).get(name);
    return entry === undefined ? undefined : unseal(this.key, name, entry);
  }

  async delete(name: string): Promise<void> {
    await this.mutate((entries) => entries.delete(name));
  }

  /** Re-reads under the queue: another process may have written the file since. */
  private mutate(change: (entries: Map<string, unknown>) => boolean): Promise<void> {
    const run = async () => {
      const entries = await this.read();
      if (change(entries)) await this.write(entries);
    };
    const previous = writeQueues.get(this.file) ?? Promise.resolve();
    const next = previous.then(run, run);
    // A failed write must not block the ones queued behind it; the caller still sees the failure.
    const settled = next.catch(() => undefined);
    writeQueues.set(this.file, settled);
    return next;
  }

  private async read(): Promise<Map<string, unknown>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`${this.file} is not a JSON object; restore it or remove it to start over`);
    }
    // A Map, so a name like `__proto__` stays an ordinary key.
    return new Map(Object.entries(parsed));
  }

  private async write(entries: Map<string, unknown>): Promise<void> {
    const temp = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }
}

/**
 * The key is written to a temporary file and hard-linked into place: link() fails if the key exists,
 * so a racing process never overwrites it, and never sees a half-written one either.
 */
async function loadOrCreateKey(keyFile: string): Promise<Buffer> {
  const temp = `${keyFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeNew(temp, randomBytes(KEY_BYTES));
    await link(temp, keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const key = await readFile(keyFile);
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `${keyFile} holds ${key.length} bytes, expected ${KEY_BYTES}; it is not a key this store wrote`,
    );
  }
  return key;
}

async function writeNew(file: string, data: Buffer): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function seal(key: Buffer, name: string, value: SecretValue): Entry {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  // The name is authenticated, so an entry copied under another name does not decrypt.
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

function unseal(key: Buffer, name: string, entry: unknown): SecretValue {
  const failure = () =>
    new Error(`Secret ${name} cannot be decrypted: the file was modified or the key changed`);
  if (!isEntry(entry)) throw failure();
  const iv = Buffer.from(entry.iv, 'base64');
  const tag = Buffer.from(entry.tag, 'base64');
  // Fixed lengths: GCM would otherwise accept a truncated tag, which is easier to forge.
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw failure();
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(tag);
    const data = Buffer.from(entry.data, 'base64');
    plain = Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw failure();
  }
  // JSON.parse errors quote their input, which here is the secret.
  let value: unknown;
  try {
    value = JSON.parse(plain);
  } catch {
    throw failure();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw failure();
  if (!Object.values(value).every((v) => typeof v === 'string')) throw failure();
  return value as SecretValue;
}

function isEntry(entry: unknown): entry is Entry {
  if (typeof entry !== 'object' || entry === null) return false;
  const { iv, tag, data } = entry as Record<string, unknown>;
  return typeof iv === 'string' && typeof tag === 'string' && typeof data === 'string';
}
