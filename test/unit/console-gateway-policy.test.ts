import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { GatewayError, ValidationFailed } from '../../shared/domain/errors.ts';
import { GatewayService } from '../../shared/domain/gateways/gateway-service.ts';
import { GatewayTest } from '../../shared/domain/gateways/gateway-test.ts';
import type { Gateway, GatewayRecord } from '../../shared/domain/gateways/gateway.ts';
import { gatewayRecord } from '../support/gateway-record.ts';
import type { GatewayRepository } from '../../shared/ports/gateway-repository.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { createContext } from '../../shared/runtime/context.ts';
import { gatewayTypes } from '../../shared/runtime/wiring/gateways.ts';

function service(consoleGatewayAllowed: boolean, existing: GatewayRecord[] = []) {
  const stored = new Map(existing.map((g) => [g.id, { ...g, isDefault: false } as Gateway]));
  const sent: string[] = [];
  const gateways = {
    create: async (g: GatewayRecord) => void stored.set(g.id, { ...g, isDefault: false }),
    get: async (id: string) => stored.get(id),
  } as unknown as GatewayRepository;
  const service = new GatewayService({
    gateways,
    secrets: { put: async () => undefined, get: async () => undefined, delete: async () => undefined },
    clock: systemClock,
    random: cryptoRandom,
    consoleGatewayAllowed,
    urlPolicy: { allowLoopbackHttp: false, hostProblem: () => undefined },
  });
  const tests = new GatewayTest({
    gateways: service,
    delivery: {
      sendThrough: async (id) => (
        sent.push(id),
        { gatewayId: id, gatewayType: 'console', providerMessageId: 'x' }
      ),
    },
  });
  return { sent, gateways: service, tests };
}

describe('the console gateway type in a deployment that does not allow it', () => {
  it('is listed as disabled, refused on create, and never sends', async () => {
    const { gateways, tests, sent } = service(false, [
      gatewayRecord({ id: 'gw_old', name: 'Left from a demo stage', hasPassword: false }),
    ]);
    expect(gateways.types().find((t) => t.type === 'console')?.enabled).toBe(false);
    const refused = await gateways.create({ name: 'Console', type: 'console' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationFailed);
    expect((refused as ValidationFailed).extensions.errors).toEqual([
      { path: 'type', message: 'console gateways are disabled in this deployment' },
    ]);
    await expect(tests.test('gw_old', '+447400123456')).rejects.toBeInstanceOf(GatewayError);
    expect(sent).toEqual([]);
  });

  it('is allowed where the stage allows it, and sends there', async () => {
    const { gateways, tests, sent } = service(true);
    const created = await gateways.create({ name: 'Console', type: 'console' });
    expect(created.type).toBe('console');
    expect(await tests.test(created.id, '+447400123456')).toEqual({ providerMessageId: 'x' });
    expect(sent).toEqual([created.id]);
  });
});

describe("GET /admin/gateway-types' own wiring (the catalogue without the gateway admin)", () => {
  it("lists the service's types, the console type enabled only where the deployment allows it", () => {
    for (const allowed of [false, true]) {
      const env = { TABLE_NAME: 'unit-tests', SECRET_STORE: 'file', DATA_DIR: tmpdir() };
      const ctx = createContext(readConfig({ ...env, CONSOLE_GATEWAY_ALLOWED: String(allowed) }));
      const listed = gatewayTypes(ctx).list();
      expect(listed).toEqual(service(allowed).gateways.types());
      expect(listed.find((t) => t.type === 'console')?.enabled).toBe(allowed);
      expect(listed.filter((t) => t.type !== 'console').every((t) => t.enabled)).toBe(true);
    }
  });
});
