import type { RemovalPolicy } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface TableBackupProps {
  stage: string;
  table: ITable;
  encryptionKey: IKey;
  removalPolicy: RemovalPolicy;
}

/**
 * AWS Backup for the table, beside point-in-time recovery (35 days, same table and region): daily
 * backups kept 35 days and monthly ones kept a year, in a vault of its own encrypted with the data key.
 * A backup survives the table's deletion, which PITR does not.
 */
export class TableBackup extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: TableBackupProps) {
    super(scope, id);
    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: `sms-mfa-${props.stage}`,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
    });
    this.plan = BackupPlan.dailyMonthly1YearRetention(this, 'Plan', this.vault);
    const selection = this.plan.addSelection('Table', {
      resources: [BackupResource.fromDynamoDbTable(props.table)],
    });
    props.encryptionKey.grant(selection.grantPrincipal, 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant');
    const role = selection.node.tryFindChild('Role')?.node.defaultChild;
    if (role) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        reason:
          "AWS Backup's own service role policy, which AWS maintains as backup features change. This role is " +
          'assumed only by backup.amazonaws.com and the selection names one resource, the service table.',
      });
    }
  }
}
