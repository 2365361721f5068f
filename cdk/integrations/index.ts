/** The constructs a customer's CDK app imports to connect an identity provider to sms-mfa. */
export {
  COGNITO_SENDER_ACCESS,
  SmsMfaCognitoSender,
  type SmsMfaCognitoSenderProps,
  type SmsMfaServiceTargets,
} from './cognito-sender.ts';
export {
  COGNITO_CUSTOM_AUTH_ACCESS,
  SmsMfaCognitoCustomAuth,
  type SmsMfaCognitoCustomAuthProps,
} from './cognito-custom-auth.ts';
