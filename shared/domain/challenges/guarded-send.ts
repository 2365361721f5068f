import { planFraudGuard, type FraudPlan } from '../fraud/fraud-guard.ts';
import { treatmentOf } from './classified-send.ts';
import { templateInfo } from '../sms-encoding.ts';
import type { IssueDeps, IssueRequest } from './pending-send.ts';

/** The fraud-guard windows of one issue request: segments of the store's rendered message, the origin. */
export function fraudPlanOf(deps: Pick<IssueDeps, 'random'>, request: IssueRequest, now: number): FraudPlan {
  const { store, phone, origin } = request;
  const treatment = treatmentOf(request);
  // A test number costs nothing and sends nothing: no fraud-guard count, no budget.
  if (!treatment.storeWide) return { planned: [], cost: 0, unverified: [] };
  const segments = templateInfo(store.smsAuth.messageTemplate, store.codePolicy.length).segments;
  return planFraudGuard(
    store,
    phone,
    {
      clientIp: origin?.clientIp ?? null,
      applicationId: origin?.applicationId ?? null,
      segments,
      exempt: (origin?.exempt ?? false) || !treatment.fraudGuard,
    },
    now,
    deps.random,
  );
}
