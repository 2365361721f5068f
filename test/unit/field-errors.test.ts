import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldErrors } from '../../shared/http/middlewares.ts';

describe('fieldErrors', () => {
  const schema = z.strictObject({
    name: z.string(),
    proxy: z.strictObject({ port: z.number().int().max(65535) }),
  });

  it('names every failing field, unknown ones included', () => {
    const result = schema.safeParse({ proxy: { port: 70000, extra: 1 }, other: true });
    expect(result.success).toBe(false);
    const errors = fieldErrors(result.error!);
    expect(errors.map((e) => e.path).sort()).toEqual(['name', 'other', 'proxy.extra', 'proxy.port']);
    expect(errors.find((e) => e.path === 'name')?.message).toBe('is required');
    expect(errors.find((e) => e.path === 'other')?.message).toBe('is not a known field');
  });

  it('prefixes non-body locations', () => {
    const result = z.object({ limit: z.number() }).safeParse({ limit: 'x' });
    expect(fieldErrors(result.error!, 'query.')[0]?.path).toBe('query.limit');
  });
});
