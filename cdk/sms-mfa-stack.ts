import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StackConfig } from './config.ts';
import type { SmsMfaProps } from './props.ts';
import { SmsMfa, type SmsMfaBuildOptions } from './sms-mfa.ts';

export { PROJECT_ROOT, VALIDATES_TEST_NUMBERS } from './service-routes.ts';

export interface SmsMfaStackProps extends StackProps, SmsMfaBuildOptions {
  smsMfa: SmsMfaProps;
}

/**
 * The project's own stack: one `SmsMfa` and nothing else. Its id is `Default`, which CDK leaves out of
 * logical ids, so the resources keep the ids they had when the stack built them itself (a deployed
 * table is not replaced) and the template equals that of `new SmsMfa(stack, ...)` up to those ids.
 */
export class SmsMfaStack extends Stack {
  readonly mfa: SmsMfa;
  readonly config: StackConfig;
  readonly table: SmsMfa['table'];
  readonly httpApi: SmsMfa['httpApi'];
  readonly functions: SmsMfa['functions'];
  readonly monitoring: SmsMfa['monitoring'];
  readonly keys: SmsMfa['keys'];
  readonly integrationTargets: SmsMfa['integrationTargets'];
  readonly backup: SmsMfa['backup'];
  readonly edge: SmsMfa['edge'];
  readonly smsDeliveryStatus: SmsMfa['smsDeliveryStatus'];
  readonly events: SmsMfa['events'];
  readonly expiryReports: SmsMfa['expiryReports'];

  constructor(scope: Construct, id: string, props: SmsMfaStackProps) {
    const { smsMfa, routes, projectRoot, ...stackProps } = props;
    super(scope, id, stackProps);
    this.mfa = new SmsMfa(this, 'Default', smsMfa, {
      ...(routes ? { routes } : {}),
      ...(projectRoot ? { projectRoot } : {}),
    });
    ({
      config: this.config,
      table: this.table,
      httpApi: this.httpApi,
      functions: this.functions,
      monitoring: this.monitoring,
      keys: this.keys,
      integrationTargets: this.integrationTargets,
      backup: this.backup,
      edge: this.edge,
      smsDeliveryStatus: this.smsDeliveryStatus,
      events: this.events,
      expiryReports: this.expiryReports,
    } = this.mfa);
  }
}
