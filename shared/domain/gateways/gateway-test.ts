import type { SendResult } from '../../ports/sms-sender.ts';
import { GatewayError, PhoneNotAllowed } from '../errors.ts';
import { parsePhone, testMessageIneligibility } from '../phone.ts';
import type { SmsDelivery } from '../sending/sms-delivery.ts';
import type { GatewayService } from './gateway-service.ts';

export const TEST_MESSAGE = (name: string) =>
  `sms-mfa: test message from SMS gateway "${name}". No action is needed.`;

export interface GatewayTestDeps {
  gateways: Pick<GatewayService, 'get' | 'typeEnabled'>;
  /** Sends like a code does. */
  delivery: Pick<SmsDelivery, 'sendThrough'>;
}

/**
 * "Test connection" (`POST /admin/gateways/{id}/test`), apart from the gateway admin: only its function
 * parses the number and sends, so the others bundle neither libphonenumber's metadata nor the delivery.
 */
export class GatewayTest {
  constructor(private readonly deps: GatewayTestDeps) {}

  /** Sends a real message through this gateway, with the same adapters and recovery as a code. */
  async test(id: string, phoneNumber: string): Promise<SendResult> {
    const gateway = await this.deps.gateways.get(id);
    const phone = parsePhone(phoneNumber);
    if (!phone) throw new PhoneNotAllowed('The phone number is not a valid international number.');
    const ineligible = testMessageIneligibility(phone);
    if (ineligible) throw new PhoneNotAllowed(ineligible);
    if (!this.deps.gateways.typeEnabled(gateway.type))
      throw new GatewayError(`Gateway type ${gateway.type} is disabled here.`);
    // A test connection neither counts toward the gateway's health nor is steered by it.
    const sent = await this.deps.delivery.sendThrough(
      gateway.id,
      { to: phone.e164, body: TEST_MESSAGE(gateway.name) },
      { health: false },
    );
    return { providerMessageId: sent.providerMessageId };
  }
}
