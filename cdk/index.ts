/**
 * The package's CDK entry (`import { SmsMfa } from 'sms-mfa/cdk'`): the service as one construct, the
 * us-east-1 stack of its WAF web ACL, and the identity-provider constructs that stand beside it.
 */
export { SmsMfa, type SmsMfaBuildOptions } from './sms-mfa.ts';
export { type SmsMfaProps, smsMfaPropsSchema, parseSmsMfaProps } from './props.ts';
export { SmsMfaEdgeStack, type SmsMfaEdgeStackProps } from './edge-stack.ts';
export {
  SmsMfaCognitoCustomAuth,
  type SmsMfaCognitoCustomAuthProps,
  SmsMfaCognitoSender,
  type SmsMfaCognitoSenderProps,
  type SmsMfaServiceTargets,
} from './integrations/index.ts';
