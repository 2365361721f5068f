import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** api.md, local mode: `$DATA_DIR` is 0700 and every file in it 0600 (full numbers, key hashes, secrets). */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** Whatever this process (and the DynamoDB Local JVM it spawns) creates is owner-only. */
const PRIVATE_UMASK = 0o077;

/**
 * Creates the data directory owner-only and tightens what earlier runs (or older versions) left in
 * it, then sets the process umask so that every file created from here on, by this process and by
 * the children it spawns (DynamoDB Local writes its own files), is owner-only too.
 */
export async function preparePrivateDataDir(dataDir: string): Promise<void> {
  process.umask(PRIVATE_UMASK);
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await tighten(dataDir);
}

async function tighten(dir: string): Promise<void> {
  await chmod(dir, PRIVATE_DIR_MODE);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await tighten(path);
    else if (entry.isFile()) await chmod(path, PRIVATE_FILE_MODE);
  }
}
