import type { Clock } from '../../ports/clock.ts';
import type { IdentityStoreRepository } from '../../ports/identity-store-repository.ts';
import type { Random } from '../../ports/random.ts';
import type { WebhookRepository } from '../../ports/webhook-repository.ts';
import { NotFound, ValidationFailed } from '../errors.ts';
import type { EventType } from '../events/event-types.ts';
import { urlProblem, type UrlPolicy } from '../gateways/gateway.ts';
import { newId } from '../ids.ts';
import {
  newWebhookSecret,
  SECRET_OVERLAP_MS,
  WEBHOOK_ID_PREFIX,
  webhookView,
  type WebhookRecord,
  type WebhookView,
} from './webhook.ts';

export interface WebhookServiceDeps {
  webhooks: WebhookRepository;
  stores: Pick<IdentityStoreRepository, 'get'>;
  clock: Clock;
  random: Random;
  /** The outbound address rules (api.md "Outbound addresses"), the same as for gateway URLs. */
  urlPolicy: UrlPolicy;
}

/** An identity store's webhooks: the secret is shown on create and on rotate, never listed. */
export class WebhookService {
  constructor(private readonly deps: WebhookServiceDeps) {}

  async create(
    storeId: string,
    input: { url: string; eventTypes?: EventType[] | undefined },
  ): Promise<WebhookView & { secret: string }> {
    const problem = urlProblem(input.url, this.deps.urlPolicy);
    if (problem) throw new ValidationFailed([{ path: 'url', message: problem }]);
    const { clock, random } = this.deps;
    const record: WebhookRecord = {
      id: newId(WEBHOOK_ID_PREFIX, clock, random),
      storeId,
      url: input.url,
      eventTypes: [...new Set(input.eventTypes ?? [])],
      secret: newWebhookSecret(random),
      createdAt: clock.now().toISOString(),
    };
    await this.deps.webhooks.create(record);
    return { ...webhookView(record), secret: record.secret };
  }

  async list(storeId: string): Promise<WebhookView[]> {
    if (!(await this.deps.stores.get(storeId))) throw new NotFound('The identity store');
    return (await this.deps.webhooks.listByStore(storeId)).map(webhookView);
  }

  async delete(storeId: string, webhookId: string): Promise<void> {
    if (!(await this.deps.webhooks.delete(storeId, webhookId))) throw new NotFound('The webhook');
  }

  /** A new secret; the previous one goes on signing for SECRET_OVERLAP_MS. */
  async rotate(storeId: string, webhookId: string): Promise<{ secret: string }> {
    const secret = newWebhookSecret(this.deps.random);
    const until = this.deps.clock.now().getTime() + SECRET_OVERLAP_MS;
    if (!(await this.deps.webhooks.rotate(storeId, webhookId, secret, until)))
      throw new NotFound('The webhook');
    return { secret };
  }
}
