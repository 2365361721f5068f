/** The constructs a customer's CDK app imports to connect an identity provider to sms-mfa. */
export {
  COGNITO_SENDER_ACCESS,
  SmsMfaCognitoSender,
  type SmsMfaCognitoSenderProps,
  type SmsMfaServiceTargets,
} from './cognito-sender.ts';
