import type { FieldError } from '../errors.ts';
import type { RoutingInput } from './routing-settings.ts';

/**
 * The operator switch (CDK context `deliveryFailoverAllowed`, DELIVERY_FAILOVER_ALLOWED; always allowed
 * locally): a store may set `routing.deliveryDeadlineSeconds` only where delivery failover is allowed.
 * The field itself (5..900, below the code TTL) is validated with the rest of `routing`.
 */
export function failoverSwitchProblems(settings: object, allowed: boolean): FieldError[] {
  const seconds = (settings as { routing?: RoutingInput | null }).routing?.deliveryDeadlineSeconds;
  if (allowed || seconds === undefined || seconds === null) return [];
  return [
    {
      path: 'routing.deliveryDeadlineSeconds',
      message: 'delivery failover is not allowed in this deployment (CDK context deliveryFailoverAllowed)',
    },
  ];
}
