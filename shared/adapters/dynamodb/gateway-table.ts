import { DeleteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { Conflict, GatewayInUse, NotFound, VersionMismatch } from '../../domain/errors.ts';
import type { Gateway, GatewayRecord } from '../../domain/gateways/gateway.ts';
import type { DefaultChange, GatewayRepository, Page, PageRequest } from '../../ports/gateway-repository.ts';
import { queryPartitionPage } from './page-token.ts';
import { ConditionsFailed, transactWrite } from './transactions.ts';

const PARTITION = 'GATEWAY';
const NAME_PARTITION = 'GATEWAY_NAME';
const DEFAULT_KEY = { pk: 'GATEWAY_DEFAULT', sk: 'GATEWAY_DEFAULT' };

export const gatewayKey = (id: string) => ({ pk: PARTITION, sk: `${PARTITION}#${id}` });
const nameKey = (name: string) => ({ pk: NAME_PARTITION, sk: name.normalize('NFKC').toLowerCase() });

/** Linked store ids are a String Set so links are added and removed atomically with ADD / DELETE. */
export const LINKED_STORES_ATTRIBUTE = 'linkedStoreIds';

type GatewayItem = Omit<GatewayRecord, 'linkedIdentityStoreIds'> & {
  pk: string;
  sk: string;
  entity: 'gateway';
  [LINKED_STORES_ATTRIBUTE]?: Set<string>;
};

function toRecord(item: Record<string, unknown>): GatewayRecord {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    [LINKED_STORES_ATTRIBUTE]: linked,
    ...rest
  } = item as GatewayItem;
  return {
    ...rest,
    // Items written before these settings existed have no such attributes.
    bodyTemplate: rest.bodyTemplate ?? null,
    authScheme: rest.authScheme ?? null,
    hasCallbackSecret: rest.hasCallbackSecret ?? false,
    linkedIdentityStoreIds: linked ? [...linked].sort() : [],
  };
}

/** The settings an admin edits; links and identity never change through an update. */
/** Fixed at creation, or kept elsewhere (the links are a set changed only by identity stores). */
type Fixed = 'id' | 'createdAt' | 'version' | 'linkedIdentityStoreIds';

/**
 * What an update writes: every other field of the record, checked by type, so that a field added to
 * GatewayRecord cannot be silently dropped on PATCH.
 */
const EDITABLE_FIELDS = {
  name: true,
  type: true,
  url: true,
  accountId: true,
  username: true,
  from: true,
  senderIds: true,
  bodyTemplate: true,
  authScheme: true,
  hasPassword: true,
  hasCallbackSecret: true,
  proxy: true,
  pricePerSegment: true,
  pricePerCall: true,
  priceCurrency: true,
  updatedAt: true,
} as const satisfies Record<Exclude<keyof GatewayRecord, Fixed>, true>;
const EDITABLE = Object.keys(EDITABLE_FIELDS) as Array<keyof typeof EDITABLE_FIELDS>;

export class GatewayTable implements GatewayRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(gateway: GatewayRecord, makeDefault: boolean): Promise<void> {
    const { linkedIdentityStoreIds: _links, ...fields } = gateway;
    const item: GatewayItem = { ...gatewayKey(gateway.id), entity: 'gateway', ...fields };
    try {
      await transactWrite(this.client, {
        TransactItems: [
          { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: this.tableName,
              Item: { ...nameKey(gateway.name), gatewayId: gateway.id },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...(makeDefault
            ? [{ Put: { TableName: this.tableName, Item: { ...DEFAULT_KEY, gatewayId: gateway.id } } }]
            : []),
        ],
      });
    } catch (error) {
      if (error instanceof ConditionsFailed && error.at(1)) throw nameTaken(gateway.name);
      throw error;
    }
  }

  async get(id: string): Promise<Gateway | undefined> {
    const [result, defaultId] = await Promise.all([
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: gatewayKey(id), ConsistentRead: true }),
      ),
      this.defaultGatewayId(),
    ]);
    if (!result.Item) return undefined;
    const record = toRecord(result.Item);
    return { ...record, isDefault: record.id === defaultId };
  }

  async list(page: PageRequest): Promise<Page<Gateway>> {
    const [result, defaultId] = await Promise.all([
      queryPartitionPage(this.client, this.tableName, PARTITION, page),
      this.defaultGatewayId(),
    ]);
    const items = result.items.map(toRecord).map((r) => ({ ...r, isDefault: r.id === defaultId }));
    return { ...result, items };
  }

  async update(next: GatewayRecord, previous: GatewayRecord, defaultChange: DefaultChange): Promise<void> {
    const values: Record<string, unknown> = { ':expected': previous.version, ':version': next.version };
    const names: Record<string, string> = { '#version': 'version' };
    // Optional fields left out (senderIds, prices) are removed: an undefined value has no placeholder.
    const sets: string[] = [];
    const removes: string[] = [];
    for (const field of EDITABLE) {
      names[`#${field}`] = field;
      if (next[field] === undefined) {
        removes.push(`#${field}`);
        continue;
      }
      values[`:${field}`] = next[field];
      sets.push(`#${field} = :${field}`);
    }
    const renamed = nameKey(next.name).sk !== nameKey(previous.name).sk;
    const items = [
      {
        Update: {
          TableName: this.tableName,
          Key: gatewayKey(next.id),
          UpdateExpression:
            `SET ${sets.join(', ')}, #version = :version` +
            (removes.length ? ` REMOVE ${removes.join(', ')}` : ''),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...(renamed
        ? [
            {
              Delete: {
                TableName: this.tableName,
                Key: nameKey(previous.name),
                ConditionExpression: 'gatewayId = :id',
                ExpressionAttributeValues: { ':id': next.id },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...nameKey(next.name), gatewayId: next.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      ...(defaultChange === 'set'
        ? [{ Put: { TableName: this.tableName, Item: { ...DEFAULT_KEY, gatewayId: next.id } } }]
        : defaultChange === 'unset'
          ? [
              {
                Delete: {
                  TableName: this.tableName,
                  Key: DEFAULT_KEY,
                  ConditionExpression: 'gatewayId = :id',
                  ExpressionAttributeValues: { ':id': next.id },
                },
              },
            ]
          : []),
    ];
    try {
      await transactWrite(this.client, { TransactItems: items });
    } catch (error) {
      if (!(error instanceof ConditionsFailed)) throw error;
      if (error.at(0)) throw new VersionMismatch('The gateway');
      if (renamed && error.at(2)) throw nameTaken(next.name);
      // The name or default pointer moved under us: the state we read is stale.
      throw new VersionMismatch('The gateway');
    }
  }

  async delete(id: string, expectedVersion?: number): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.get(id);
      if (!current) throw new NotFound('The gateway');
      const versionCondition = expectedVersion === undefined ? '' : ' AND #version = :version';
      try {
        await transactWrite(this.client, {
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: gatewayKey(id),
                ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#linked)${versionCondition}`,
                ExpressionAttributeNames: {
                  '#linked': LINKED_STORES_ATTRIBUTE,
                  ...(expectedVersion === undefined ? {} : { '#version': 'version' }),
                },
                ...(expectedVersion === undefined
                  ? {}
                  : { ExpressionAttributeValues: { ':version': expectedVersion } }),
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Delete: {
                TableName: this.tableName,
                Key: nameKey(current.name),
                ConditionExpression: 'gatewayId = :id',
                ExpressionAttributeValues: { ':id': id },
              },
            },
          ],
        });
      } catch (error) {
        if (!(error instanceof ConditionsFailed)) throw error;
        const failed = error.at(0);
        if (failed) {
          if (!failed.item) throw new NotFound('The gateway');
          const linked = failed.item[LINKED_STORES_ATTRIBUTE] as Set<string> | undefined;
          if (linked && linked.size > 0) throw new GatewayInUse([...linked].sort());
          throw new VersionMismatch('The gateway');
        }
        continue; // renamed meanwhile: read the new name and try again
      }
      await this.clearDefaultIf(id);
      return;
    }
    throw new VersionMismatch('The gateway');
  }

  async defaultGatewayId(): Promise<string | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: DEFAULT_KEY, ConsistentRead: true }),
    );
    return result.Item?.gatewayId as string | undefined;
  }

  /** Outside the delete transaction on purpose: a pointer to a deleted gateway reads as "no default". */
  private async clearDefaultIf(id: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: DEFAULT_KEY,
          ConditionExpression: 'gatewayId = :id',
          ExpressionAttributeValues: { ':id': id },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function nameTaken(name: string): Conflict {
  return new Conflict(`A gateway named "${name}" already exists.`);
}
