import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import type { RelayRequest, RelayResult } from '../../domain/relay/relay-code.ts';

/** A hook request as it arrived: the signature of some kinds covers the raw body. */
export interface HookHttpRequest {
  rawBody: string;
  /** Lower-cased names. */
  headers: Record<string, string | undefined>;
}

/** What the relay needs from a provider's payload. */
export type RelayInput = Pick<RelayRequest, 'to' | 'channel' | 'text' | 'code' | 'eventId' | 'locale'>;

/**
 * One identity provider's side of `POST /hooks/{integrationId}`: how it authenticates, what its body
 * says, and how it wants success and failure answered. The relay itself is the same for all.
 */
export interface HookKind<S extends z.ZodType = z.ZodType> {
  /** The provider's payload; unknown fields are ignored (zod strips them). */
  body: S;
  authenticated(request: HookHttpRequest, secrets: string[], now: number): boolean;
  relayInput(body: z.output<S>, request: HookHttpRequest): RelayInput;
  /**
   * The answer goes this long after the arrival, when the provider's answer time is shorter than the send
   * deadline (Okta's); the send plan ends the relay's provider attempts then (send-plan.ts).
   */
  budgetMs?: number;
  success(result: RelayResult): unknown;
  /** The answer to a refusal or failure, when the provider needs another than the problem itself. */
  failure?(problem: APIGatewayProxyStructuredResultV2): APIGatewayProxyStructuredResultV2;
}

export const defineHookKind = <S extends z.ZodType>(kind: HookKind<S>): HookKind<S> => kind;
