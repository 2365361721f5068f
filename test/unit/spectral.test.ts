import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/local-stack.ts';

const run = promisify(execFile);

interface Finding {
  code: string;
  severity: number;
  message: string;
  path: string[];
}

describe('Spectral with the OWASP ruleset (.spectral.yaml)', () => {
  it('finds no error in openapi.json', { timeout: 60_000 }, async () => {
    const spectral = join(PROJECT_ROOT, 'node_modules/.bin/spectral');
    // Exit code 1 means findings at the fail severity; the JSON on stdout says which.
    const { stdout } = await run(spectral, ['lint', 'openapi.json', '-f', 'json', '--quiet'], {
      cwd: PROJECT_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const findings = JSON.parse(stdout) as Finding[];
    const errors = findings
      .filter((finding) => finding.severity === 0)
      .map((finding) => `${finding.code} at ${finding.path.join('.')}: ${finding.message}`);
    expect(errors).toEqual([]);
  });
});
