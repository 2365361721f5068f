import type { components, OperationAnswer, OperationBody } from '../../client/src/index.ts';

/** The admin API's representations, as openapi.json describes them. */
export type Gateway = components['schemas']['Gateway'];
export type GatewayType = components['schemas']['GatewayType'];
export type IdentityStore = components['schemas']['IdentityStore'];
export type ApiKey = components['schemas']['ApiKey'];
export type NewApiKey = OperationAnswer<'api-keys-create'>;
export type Application = components['schemas']['Application'];
export type Integration = components['schemas']['Integration'];
export type NewIntegration = components['schemas']['CreatedIntegration'];
export type IntegrationKind = Integration['kind'];
export type Webhook = components['schemas']['Webhook'];
export type NewWebhook = components['schemas']['CreatedWebhook'];
export type Block = components['schemas']['Block'];
export type ChallengeHistory = components['schemas']['ChallengeHistory'];

/** A body whose field names are the contract's (a drifted name fails tsc); the API judges the values. */
export type Shape<T> = { [K in keyof T]?: unknown };

export type CreateGatewayBody = OperationBody<'gateways-create'>;
export type GatewayPatch = OperationBody<'gateways-update'>;
export type CreateStoreBody = OperationBody<'identity-stores-create'>;
export type StorePatch = OperationBody<'identity-stores-update'>;

export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details as the API answers them (`detail` is absent from answers made here). */
export type Problem = Omit<components['schemas']['Problem'], 'detail'> & { detail?: string };
