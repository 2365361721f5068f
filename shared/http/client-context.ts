import type { ClientIdentity } from '../domain/api-keys/api-key-service.ts';
import type { MfaPolicy } from '../domain/applications/application.ts';
import type { MessageOptions } from '../domain/messages/message-options.ts';

export type { ClientIdentity } from '../domain/api-keys/api-key-service.ts';

/**
 * The authorizer context is a flat map of strings: the application's policy travels as JSON text, so
 * that resolving it costs the send or verify no DynamoDB request (it is as fresh as the authorizer's
 * cached answer).
 */
export interface ClientContext {
  storeId: string;
  keyId: string;
  applicationId: string;
  mfaPolicy: string;
  /** The application's autofill lines as JSON text; absent when it has none. */
  messageOptions: string;
}

export function clientContext(identity: ClientIdentity): Partial<ClientContext> {
  const { storeId, keyId, application } = identity;
  if (!application) return { storeId, keyId };
  return {
    storeId,
    keyId,
    applicationId: application.id,
    mfaPolicy: JSON.stringify(application.mfaPolicy),
    ...(application.messageOptions ? { messageOptions: JSON.stringify(application.messageOptions) } : {}),
  };
}

export function identityOf(context: Partial<ClientContext> | undefined): ClientIdentity | undefined {
  if (!context?.storeId || !context.keyId) return undefined;
  const { storeId, keyId } = context;
  if (!context.applicationId) return { storeId, keyId };
  const mfaPolicy = context.mfaPolicy ? (JSON.parse(context.mfaPolicy) as MfaPolicy | null) : null;
  const messageOptions = context.messageOptions
    ? (JSON.parse(context.messageOptions) as MessageOptions)
    : undefined;
  return {
    storeId,
    keyId,
    application: { id: context.applicationId, mfaPolicy, ...(messageOptions ? { messageOptions } : {}) },
  };
}
