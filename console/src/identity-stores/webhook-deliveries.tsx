import { useAction } from '../action.ts';
import { ListTable } from '../list-table.tsx';
import { useLoad } from '../load.ts';
import type { Webhook } from '../types.ts';
import { formatTime, Notice, ProblemAlert } from '../ui.tsx';
import { listDeliveries, retryDelivery, type Delivery } from './support-api.ts';

/** One webhook's deliveries of the last 7 days, newest first, each with a Retry. */
export function WebhookDeliveries({ storeId, webhook }: { storeId: string; webhook: Webhook }) {
  const loaded = useLoad(() => listDeliveries(storeId, webhook.id), `deliveries:${webhook.id}`);
  const { busy, problem, notice, run } = useAction();
  const retry = async (delivery: Delivery) => {
    await run(
      () => retryDelivery(storeId, webhook.id, delivery.id),
      `Delivery ${delivery.id} sent again.`,
      `Delivery ${delivery.id} was not sent again.`,
    );
    loaded.reload();
  };
  return (
    <section aria-labelledby="deliveries-title">
      <h3 id="deliveries-title">Deliveries to {webhook.url}</h3>
      <Notice message={notice} />
      <ProblemAlert problem={problem ?? loaded.problem} />
      {loaded.data?.length ? (
        <ListTable
          caption={`Deliveries to ${webhook.url}`}
          headings={[
            'Delivery',
            'Event',
            'Status',
            'Attempts',
            'Last attempt',
            'Last answer',
            'Next attempt',
            'Actions',
          ]}
        >
          {loaded.data.map((delivery) => (
            <tr key={delivery.id}>
              <th scope="row">
                <code>{delivery.id}</code>
              </th>
              <td>{delivery.eventType}</td>
              <td>{delivery.status}</td>
              <td>{delivery.attempts}</td>
              <td>{formatTime(delivery.lastAttemptAt)}</td>
              <td>{delivery.lastStatusCode ?? '—'}</td>
              <td>{formatTime(delivery.nextAttemptAt)}</td>
              <td class="row-actions">
                <button type="button" disabled={busy} onClick={() => void retry(delivery)}>
                  Retry
                </button>
              </td>
            </tr>
          ))}
        </ListTable>
      ) : loaded.data ? (
        <p>No delivery in the last 7 days.</p>
      ) : loaded.problem ? null : (
        <p aria-busy="true">Loading…</p>
      )}
    </section>
  );
}
