import { planFraudGuard, type FraudPlan } from '../fraud/fraud-guard.ts';
import { templateInfo } from '../sms-encoding.ts';
import type { IssueDeps, IssueRequest } from './pending-send.ts';

/** The fraud-guard windows of one issue request: segments of the store's rendered message, the origin. */
export function fraudPlanOf(deps: Pick<IssueDeps, 'random'>, request: IssueRequest, now: number): FraudPlan {
  const { store, phone, origin } = request;
  const segments = templateInfo(store.smsAuth.messageTemplate, store.codePolicy.length).segments;
  return planFraudGuard(
    store,
    phone,
    {
      clientIp: origin?.clientIp ?? null,
      applicationId: origin?.applicationId ?? null,
      segments,
      exempt: origin?.exempt ?? false,
    },
    now,
    deps.random,
  );
}
