import { isMainModule } from './main-module.ts';
import { App, type AppProps, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { propsFromContext, type StackConfig, type StackContext, toStackConfig } from './config.ts';
import { parseSmsMfaProps } from './props.ts';
import { SmsMfaEdgeStack } from './edge-stack.ts';
import type { SmsMfaBuildOptions } from './sms-mfa.ts';
import { SmsMfaStack } from './sms-mfa-stack.ts';

export interface BuiltApp {
  app: App;
  stack: SmsMfaStack;
  /** The WAF web ACL in us-east-1, deployed before the main stack when CloudFront fronts the API. */
  edgeStack?: SmsMfaEdgeStack;
  config: StackConfig;
}

export interface BuildAppOptions extends Pick<AppProps, 'outdir'> {
  /**
   * Where the main stack deploys. Default: the CLI's account and region (CDK_DEFAULT_ACCOUNT/REGION).
   * Edge protection needs a region: the web ACL is a cross-region reference from us-east-1.
   */
  env?: Environment;
  /** For tests: a different route table or project root. */
  stackProps?: SmsMfaBuildOptions;
}

/**
 * Adds the cdk-nag packs as CDK validation plugins. They run when the app synthesizes, after the
 * templates are written; any finding not acknowledged with `Validations.of(scope).acknowledge()`,
 * warning or error, fails synth (an exception in tests, a non-zero exit from `cdk synth`).
 *
 * Acknowledge with the plain cdk-nag id (`AwsSolutions-IAM5[Resource::*]`), not the `AwsSolutions::...`
 * form the synth report suggests: cdk-nag does not recognise that form, CDK core then suppresses the
 * finding itself and, as a side effect, stops failing synth on the pack's remaining warnings.
 */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/**
 * The whole app without the CLI: `context` takes the place of cdk.json / `-c`, with the names of the
 * `SmsMfa` props (cdk/props.ts, docs/cdk-props.md). With edge protection, the us-east-1 edge stack
 * and the main stack; else the main stack alone.
 */
export function buildApp(
  context: StackContext & Record<string, unknown> = {},
  options: BuildAppOptions = {},
): BuiltApp {
  const app = new App({ context, ...(options.outdir ? { outdir: options.outdir } : {}) });
  // Context -> props in this one place, through the construct's own schema.
  const props = parseSmsMfaProps(propsFromContext((key) => app.node.tryGetContext(key)));
  const config = toStackConfig(props);
  const env = options.env ?? {
    ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}),
    ...(process.env.CDK_DEFAULT_REGION ? { region: process.env.CDK_DEFAULT_REGION } : {}),
  };
  // One `cdk deploy --all`: the edge stack first, its web ACL ARN carried to the main stack's region by
  // CDK's cross-region references (an SSM parameter written there by the edge stack).
  let edgeStack: SmsMfaEdgeStack | undefined;
  if (config.edge) {
    if (!env.region) {
      throw new Error(
        `stage ${config.stage} has edge protection (CloudFront + WAF), which needs the stack's region: deploy ` +
          'with a region configured (AWS_REGION or the profile), or set -c edgeProtection=false',
      );
    }
    edgeStack = new SmsMfaEdgeStack(app, `SmsMfaEdge-${config.stage}`, {
      config,
      env: { ...env, region: 'us-east-1' },
      crossRegionReferences: true,
      description: `sms-mfa (${config.stage}): WAF web ACL for the CloudFront distribution in front of the API`,
      terminationProtection: config.terminationProtection,
    });
  }
  const stack = new SmsMfaStack(app, `SmsMfa-${config.stage}`, {
    ...options.stackProps,
    smsMfa: edgeStack ? { ...props, edgeWebAclArn: edgeStack.webAcl.webAcl.attrArn } : props,
    ...(edgeStack ? { env, crossRegionReferences: true } : {}),
    description: `sms-mfa (${config.stage}): self-hosted SMS one-time codes for MFA`,
    terminationProtection: config.terminationProtection,
  });
  addNagChecks(app);
  return { app, stack, edgeStack, config };
}

if (isMainModule(import.meta.url)) {
  // Context comes from cdk.json and `-c` through the CLI (CDK_CONTEXT_JSON).
  buildApp().app.synth();
}
