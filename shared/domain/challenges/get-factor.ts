import type { FactorStore } from '../../ports/factor-store.ts';
import { NotFound } from '../errors.ts';
import { maskPhone } from '../phone.ts';

export interface FactorView {
  status: 'pending' | 'active';
  maskedPhone: string;
  verifiedAt?: string;
  lastUsedAt?: string;
}

/** `GET /v1/users/{userId}/sms-factor`: the factor's state and masked number (one read). */
export class GetFactor {
  constructor(private readonly deps: { factors: Pick<FactorStore, 'get'> }) {}

  async run(storeId: string, userId: string): Promise<FactorView> {
    const factor = await this.deps.factors.get(storeId, userId);
    const phone = factor?.status === 'active' ? factor.phone : factor?.pendingPhone;
    if (!factor || factor.status === 'none' || !phone) throw new NotFound('The SMS factor');
    return {
      status: factor.status,
      maskedPhone: maskPhone(phone),
      ...(factor.verifiedAt && factor.status === 'active' ? { verifiedAt: factor.verifiedAt } : {}),
      ...(factor.lastUsedAt && factor.status === 'active' ? { lastUsedAt: factor.lastUsedAt } : {}),
    };
  }
}
