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
    const errors = fieldErrors(result.error!, '', { proxy: { port: 70000, extra: 1 }, other: true });
    expect(errors.map((e) => e.path).sort()).toEqual(['name', 'other', 'proxy.extra', 'proxy.port']);
    expect(errors.find((e) => e.path === 'name')?.message).toBe('is required');
    expect(errors.find((e) => e.path === 'other')?.message).toBe('is not a known field');
  });

  it('calls a field of the wrong type by its type error, not "is required"', () => {
    const input = { name: 7, proxy: { port: 'eighty' } };
    const errors = fieldErrors(schema.safeParse(input).error!, '', input);
    expect(errors.find((e) => e.path === 'name')?.message).not.toBe('is required');
    expect(errors.find((e) => e.path === 'proxy.port')?.message).toMatch(/number/);
  });

  it('prefixes non-body locations', () => {
    const result = z.object({ limit: z.number() }).safeParse({ limit: 'x' });
    expect(fieldErrors(result.error!, 'query.')[0]?.path).toBe('query.limit');
  });
});
