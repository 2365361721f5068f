import type { GatewayRepository, Page, PageRequest } from '../../ports/gateway-repository.ts';
import { found } from '../errors.ts';
import type { Gateway } from './gateway.ts';

/**
 * A gateway and the gateway list as the admin routes read them: the gateway store alone, so the read
 * routes carry neither the secret store (credentials are written, never shown) nor the URL policy.
 */
export class GatewayReads {
  constructor(private readonly gateways: Pick<GatewayRepository, 'get' | 'list'>) {}

  async get(id: string): Promise<Gateway> {
    return found(await this.gateways.get(id), 'The gateway');
  }

  list(page: PageRequest): Promise<Page<Gateway>> {
    return this.gateways.list(page);
  }
}
