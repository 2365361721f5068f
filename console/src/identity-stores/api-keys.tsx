import { useState } from 'preact/hooks';
import { admin, answer, op } from '../api.ts';
import { useLoad } from '../load.ts';
import { sortErrors } from '../problems.ts';
import { useAction } from '../action.ts';
import type { ApiKey, NewApiKey } from '../types.ts';
import { ListTable } from '../list-table.tsx';
import { ConfirmDelete, DeleteButton, formatTime, Notice, ProblemAlert, TextField } from '../ui.tsx';

/** A store's API keys (one per client application): a new key is shown once, with a copy button. */
export function ApiKeys({ storeId }: { storeId: string }) {
  const loaded = useLoad(
    () =>
      answer(admin.GET(op['api-keys-list'], { params: { path: { storeId } } })).then(
        (answered) => answered.items,
      ),
    `keys:${storeId}`,
  );
  const [name, setName] = useState('');
  const [created, setCreated] = useState<NewApiKey>();
  const [copied, setCopied] = useState(false);
  const { busy, problem, notice, run } = useAction();
  const [deleting, setDeleting] = useState<ApiKey>();
  const { byField, rest } = sortErrors(problem, ['name']);

  const create = async (event: Event) => {
    event.preventDefault();
    setCopied(false);
    const key = await run(() =>
      answer(
        admin.POST(op['api-keys-create'], { params: { path: { storeId } }, body: { name: name.trim() } }),
      ),
    );
    if (!key) return;
    setCreated(key);
    setName('');
    loaded.reload();
  };

  const remove = async (key: ApiKey) => {
    setDeleting(undefined);
    await run(
      () => answer(admin.DELETE(op['api-keys-delete'], { params: { path: { storeId, keyId: key.id } } })),
      `API key ${key.name} deleted; it no longer works.`,
    );
    if (created?.id === key.id) setCreated(undefined);
    loaded.reload();
  };

  return (
    <section aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <Notice message={notice} />
      <ProblemAlert problem={problem ?? loaded.problem} rest={rest} />
      {created ? (
        <div class="new-key" role="status">
          <p>
            API key <strong>{created.name}</strong> created. Copy it now: it is shown only once.
          </p>
          <div class="copy-row">
            <TextField
              id="new-api-key"
              label="New API key"
              readOnly
              value={created.key}
              onValue={() => undefined}
            />
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard.writeText(created.key).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      ) : null}
      {loaded.data?.length ? (
        <ListTable caption="API keys" headings={['Name', 'Created', 'Last used', 'Actions']}>
          {loaded.data.map((key) => (
            <tr key={key.id}>
              <th scope="row">{key.name}</th>
              <td>{formatTime(key.createdAt)}</td>
              <td>{formatTime(key.lastUsedAt)}</td>
              <td class="row-actions">
                <DeleteButton onClick={() => setDeleting(key)} />
              </td>
            </tr>
          ))}
        </ListTable>
      ) : loaded.data ? (
        <p>No API key yet.</p>
      ) : null}
      <form onSubmit={create} noValidate class="inline-form">
        <TextField
          id="api-key-name"
          label="API key name"
          value={name}
          onValue={setName}
          errors={byField.name}
        />
        <button type="submit" disabled={busy}>
          Create API key
        </button>
      </form>
      <ConfirmDelete
        item={deleting}
        title="Delete API key"
        message={(item) => `Delete the API key ${item.name}? Client apps using it are refused from then on.`}
        busy={busy}
        onDelete={remove}
        onCancel={() => setDeleting(undefined)}
      />
    </section>
  );
}
