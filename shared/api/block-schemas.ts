import * as z from 'zod';
import { BLOCK_KINDS } from '../domain/fraud/blocks.ts';
import { CLIENT_IP_MAX_LENGTH } from '../domain/fraud/client-ip.ts';
import { int, str, timestamp } from './bounds.ts';
import { resourceId } from './common.ts';

const kind = z.enum(BLOCK_KINDS);

export const blockParams = z.object({
  storeId: resourceId,
  kind,
  // The domain checks the value against its kind (blockValue).
  value: z
    .string()
    .min(1)
    .max(CLIENT_IP_MAX_LENGTH)
    .regex(/^[0-9A-Za-z.:]+$/, 'must be prefix digits, an ISO country code or an IP address')
    .meta({ description: 'Prefix digits without +, an ISO country code, an IPv4 address or an IPv6 /64' }),
});

export const blockSchema = z
  .strictObject({
    kind,
    value: str(CLIENT_IP_MAX_LENGTH),
    unverified: int(0, 100_000_000)
      .optional()
      .meta({ description: 'Unverified sends counted in the window (prefix and country blocks)' }),
    until: timestamp.meta({ description: 'When the window ends and the block with it' }),
  })
  .meta({ id: 'Block' });

export const blocksSchema = z.strictObject({ items: z.array(blockSchema).max(100_000) });
