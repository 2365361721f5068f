import * as z from 'zod';
import { idString, int, str, timestamp } from './bounds.ts';

const health = z
  .strictObject({
    state: z.enum(['closed', 'open', 'half-open']),
    failures: int(0, 1_000_000),
    attempts: int(0, 1_000_000),
    openedAt: timestamp.optional(),
  })
  .meta({ id: 'GatewayHealth' });

/** `GET /admin/identity-stores/{storeId}/routing` (api.md "Explained choices"). */
export const routingSnapshotSchema = z
  .strictObject({
    items: z
      .array(
        z.strictObject({
          country: str(2),
          gatewayId: idString,
          accepted: int(0, 1_000_000_000),
          approved: int(0, 1_000_000_000),
          rate: z.number().min(0).max(1).nullable().meta({ description: 'Null below minSamples' }),
          health,
        }),
      )
      .max(250 * 6),
    asOf: timestamp,
  })
  .meta({ id: 'RoutingSnapshot' });
