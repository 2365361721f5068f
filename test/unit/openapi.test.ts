import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { routes } from '../../shared/routes.ts';

const document = openApiDocument();

describe('the OpenAPI document', () => {
  it("has exactly the route table's paths and methods", () => {
    const documented = Object.entries(document.paths ?? {})
      .flatMap(([path, item]) => Object.keys(item ?? {}).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('is OpenAPI 3.1 with the documented answers and a security requirement matching each route', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const route of routes) {
      const operation = (
        document.paths?.[route.path] as Record<string, { security?: unknown[]; responses: object }>
      )[route.method.toLowerCase()]!;
      const statuses = Object.keys(operation.responses);
      expect(statuses, route.id).toEqual(
        expect.arrayContaining([String(route.operation.status), '429', '500']),
      );
      if (route.auth !== 'none') expect(statuses, route.id).toContain('401');
      if (route.access.length > 0) expect(statuses, route.id).toContain('503');
      expect((operation.security ?? []).length > 0, route.id).toBe(route.auth !== 'none');
    }
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['Problem', 'Gateway', 'IdentityStore', 'Challenge', 'Approval', 'MfaDecision']),
    );
  });

  it('is checked in up to date (npm run openapi)', async () => {
    const checkedIn = JSON.parse(await readFile(new URL('../../openapi.json', import.meta.url), 'utf8'));
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
