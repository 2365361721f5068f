import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { STORE_INDEX } from '../../shared/adapters/dynamodb/store-ownership.ts';
import { GSI1, TABLE_KEYS, TTL_ATTRIBUTE } from '../../shared/adapters/dynamodb/table-definition.ts';

export interface ServiceTableProps {
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
  encryptionKey: IKey;
}

/**
 * The service's one DynamoDB table, built from the same key constants that local mode and the
 * integration tests use (`shared/adapters/dynamodb/table-definition.ts`).
 */
export class ServiceTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: ServiceTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // Codes and rate-limit counters expire through TTL; reads still check expiry because TTL deletes late.
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
      // The stack's data key: its use is logged per caller in CloudTrail, and removing a role's grant (or
      // disabling the key) cuts access to every item, backups and PITR restores included.
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: GSI1.name,
      partitionKey: { name: GSI1.partitionKey, type: AttributeType.STRING },
      sortKey: { name: GSI1.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    // Keys only: the store sweep needs nothing else, and the index stays cheap on the hot send path.
    this.table.addGlobalSecondaryIndex({
      indexName: STORE_INDEX.name,
      partitionKey: { name: STORE_INDEX.partitionKey, type: AttributeType.STRING },
      sortKey: { name: STORE_INDEX.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }
}
