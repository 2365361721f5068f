import { useState } from 'preact/hooks';
import { useAction } from '../action.ts';
import { admin, answer, op } from '../api.ts';
import { ListTable } from '../list-table.tsx';
import { useLoad } from '../load.ts';
import { sortErrors } from '../problems.ts';
import { SecretOnce } from '../secret-once.tsx';
import type { Webhook } from '../types.ts';
import { ConfirmDelete, DeleteButton, formatTime, Notice, ProblemAlert, TextField } from '../ui.tsx';
import { WebhookDeliveries } from './webhook-deliveries.tsx';
import { listWebhooks } from './store-resources.ts';

/** A created or rotated webhook's secret: shown once, then forgotten with this view. */
interface ShownSecret {
  url: string;
  secret: string;
  rotated: boolean;
}

/** A store's webhooks: signed event deliveries, their one-time secrets, rotations and deliveries. */
export function WebhooksTab({ storeId }: { storeId: string }) {
  const loaded = useLoad(() => listWebhooks(storeId), `webhooks:${storeId}`);
  const [url, setUrl] = useState('');
  const [shown, setShown] = useState<ShownSecret>();
  const [deliveriesOf, setDeliveriesOf] = useState<Webhook>();
  const { busy, problem, notice, run } = useAction();
  const [deleting, setDeleting] = useState<Webhook>();
  const { byField, rest } = sortErrors(problem, ['url', 'eventTypes']);

  const create = async (event: Event) => {
    event.preventDefault();
    setShown(undefined);
    const created = await run(
      () =>
        answer(
          admin.POST(op['webhooks-create'], { params: { path: { storeId } }, body: { url: url.trim() } }),
        ),
      'Webhook created.',
    );
    if (!created) return;
    setShown({ url: created.url, secret: created.secret, rotated: false });
    setUrl('');
    loaded.reload();
  };

  const rotate = async (webhook: Webhook) => {
    setShown(undefined);
    setDeliveriesOf(undefined);
    const rotated = await run(
      () =>
        answer(
          admin.POST(op['webhooks-rotate-secret'], {
            params: { path: { storeId, webhookId: webhook.id } },
          }),
        ),
      'The webhook has a new secret; the previous one also signs for 24 hours.',
    );
    if (rotated) setShown({ url: webhook.url, secret: rotated.secret, rotated: true });
  };

  const remove = async (webhook: Webhook) => {
    setDeleting(undefined);
    setShown(undefined);
    if (deliveriesOf?.id === webhook.id) setDeliveriesOf(undefined);
    await run(
      () =>
        answer(admin.DELETE(op['webhooks-delete'], { params: { path: { storeId, webhookId: webhook.id } } })),
      `Webhook ${webhook.url} deleted.`,
    );
    loaded.reload();
  };

  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <Notice message={notice} />
      <ProblemAlert problem={problem ?? loaded.problem} rest={rest} />
      {shown ? (
        <SecretOnce id="webhook-secret" label="Secret" value={shown.secret}>
          <p>
            {shown.rotated ? 'New signing secret of the webhook' : 'Webhook created:'}{' '}
            <code>{shown.url}</code>. Its receiver verifies each delivery's signature with this secret.
          </p>
        </SecretOnce>
      ) : null}
      {loaded.data?.length ? (
        <ListTable caption="Webhooks" headings={['URL', 'Events', 'State', 'Created', 'Actions']}>
          {loaded.data.map((webhook) => (
            <tr key={webhook.id}>
              <th scope="row" class="url">
                {webhook.url}
              </th>
              <td>{webhook.eventTypes.length ? webhook.eventTypes.join(', ') : 'Every event'}</td>
              <td>{webhook.disabled ? 'Disabled (the receiver answered 410)' : 'Active'}</td>
              <td>{formatTime(webhook.createdAt)}</td>
              <td class="row-actions">
                <button
                  type="button"
                  onClick={() => (setShown(undefined), setDeliveriesOf(webhook))}
                  aria-pressed={deliveriesOf?.id === webhook.id ? 'true' : 'false'}
                >
                  Deliveries
                </button>
                <button type="button" disabled={busy} onClick={() => void rotate(webhook)}>
                  Rotate secret
                </button>
                <DeleteButton onClick={() => setDeleting(webhook)} />
              </td>
            </tr>
          ))}
        </ListTable>
      ) : loaded.data ? (
        <p>No webhook yet.</p>
      ) : null}
      <form onSubmit={create} noValidate class="inline-form">
        <TextField
          id="webhook-url"
          label="URL"
          type="url"
          required
          value={url}
          onValue={setUrl}
          errors={byField.url}
          hint="The receiver's https address; every event type is sent to it."
        />
        <button type="submit" disabled={busy}>
          Create webhook
        </button>
      </form>
      {deliveriesOf ? (
        <WebhookDeliveries key={deliveriesOf.id} storeId={storeId} webhook={deliveriesOf} />
      ) : null}
      <ConfirmDelete
        item={deleting}
        title="Delete webhook"
        message={(item) => `Delete the webhook ${item.url}? Nothing is sent to it from then on.`}
        busy={busy}
        onDelete={remove}
        onCancel={() => setDeleting(undefined)}
      />
    </section>
  );
}
