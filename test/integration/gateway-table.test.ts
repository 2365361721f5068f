import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditionalUpdate } from '../../shared/adapters/dynamodb/conditional-writes.ts';
import { GatewayTable, gatewayKey } from '../../shared/adapters/dynamodb/gateway-table.ts';
import { Conflict, GatewayInUse, NotFound, VersionMismatch } from '../../shared/domain/errors.ts';
import type { GatewayRecord } from '../../shared/domain/gateways/gateway.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { gatewayRecord } from '../support/gateway-record.ts';

let table: TestTable;
let gateways: GatewayTable;
beforeAll(async () => {
  table = await createTestTable();
  gateways = new GatewayTable(table.documents, table.tableName);
});
afterAll(() => table.drop());

let counter = 0;
function record(overrides: Partial<GatewayRecord> = {}): GatewayRecord {
  counter++;
  return gatewayRecord({
    id: `gw_test${counter}`,
    name: `Gateway ${counter}`,
    hasPassword: false,
    ...overrides,
  });
}

/** How identity stores link a gateway: an atomic ADD that only succeeds while the gateway exists. */
async function link(gatewayId: string, storeId: string): Promise<boolean> {
  return conditionalUpdate(table.documents, {
    TableName: table.tableName,
    Key: gatewayKey(gatewayId),
    UpdateExpression: 'ADD linkedStoreIds :id',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':id': new Set([storeId]) },
  });
}

describe('GatewayTable against DynamoDB Local', () => {
  it('refuses a second gateway with the same name in any case', async () => {
    await gateways.create(record({ name: 'Same Name' }), false);
    await expect(gateways.create(record({ name: 'SAME name' }), false)).rejects.toBeInstanceOf(Conflict);
  });

  it('updates only from the expected version', async () => {
    const original = record();
    await gateways.create(original, false);
    const next = { ...original, from: 'X', version: 2 };
    await gateways.update(next, original, 'keep');
    await expect(gateways.update({ ...original, version: 2 }, original, 'keep')).rejects.toBeInstanceOf(
      VersionMismatch,
    );
    expect((await gateways.get(original.id))?.from).toBe('X');
  });

  it('keeps links intact through updates', async () => {
    const original = record();
    await gateways.create(original, false);
    expect(await link(original.id, 'ids_1')).toBe(true);
    await gateways.update({ ...original, name: 'Renamed with link', version: 2 }, original, 'keep');
    expect((await gateways.get(original.id))?.linkedIdentityStoreIds).toEqual(['ids_1']);
  });

  it('deletes only unlinked gateways, atomically against concurrent links', async () => {
    for (let round = 0; round < 5; round++) {
      const gateway = record();
      await gateways.create(gateway, false);
      const outcomes = await Promise.all([
        ...Array.from({ length: 10 }, (_, i) =>
          link(gateway.id, `ids_${round}_${i}`).then((ok) => ({ kind: 'link', ok, i })),
        ),
        ...Array.from({ length: 10 }, () =>
          gateways.delete(gateway.id).then(
            () => ({ kind: 'delete', ok: true, i: -1 }),
            (error: unknown) => {
              if (error instanceof GatewayInUse || error instanceof NotFound)
                return { kind: 'delete', ok: false, i: -1 };
              throw error;
            },
          ),
        ),
      ]);
      const linked = outcomes.filter((o) => o.kind === 'link' && o.ok).map((o) => `ids_${round}_${o.i}`);
      const deleted = outcomes.some((o) => o.kind === 'delete' && o.ok);
      const stored = await gateways.get(gateway.id);
      if (deleted) {
        expect(linked).toEqual([]);
        expect(stored).toBeUndefined();
      } else {
        expect(stored?.linkedIdentityStoreIds).toEqual([...linked].sort());
        expect(linked.length).toBeGreaterThan(0);
      }
    }
  });

  it('answers NotFound for a missing gateway and keeps a single default pointer', async () => {
    await expect(gateways.delete('gw_nope')).rejects.toBeInstanceOf(NotFound);
    const a = record();
    const b = record();
    await gateways.create(a, true);
    await gateways.create(b, true);
    expect(await gateways.defaultGatewayId()).toBe(b.id);
    expect((await gateways.get(a.id))?.isDefault).toBe(false);
    await gateways.delete(b.id);
    expect(await gateways.defaultGatewayId()).toBeUndefined();
  });
});
