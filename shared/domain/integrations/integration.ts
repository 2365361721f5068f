/** api.md "Identity-provider integrations": where an identity provider's own codes are delivered from. */
export const INTEGRATION_KINDS = ['supabase', 'okta', 'kratos', 'auth0', 'cognito'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/** The kinds that call `POST /hooks/{integrationId}`; Cognito invokes a Lambda trigger instead. */
export const HOOK_KINDS = ['supabase', 'okta', 'kratos', 'auth0'] as const;
export type HookKind = (typeof HOOK_KINDS)[number];

export const isHookKind = (kind: IntegrationKind): kind is HookKind =>
  (HOOK_KINDS as readonly string[]).includes(kind);

export interface CognitoSettings {
  userPoolId: string;
  kmsKeyArn: string;
}

export type IntegrationSettings = Partial<CognitoSettings>;

export interface Integration {
  id: string;
  storeId: string;
  kind: IntegrationKind;
  name: string;
  settings: IntegrationSettings;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The secret store's name for an integration's hook secret (never in the table). */
export const integrationSecretName = (id: string) => `integrations/${id}`;
