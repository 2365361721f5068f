import { useState } from 'preact/hooks';
import { admin, answer, op } from '../api.ts';
import { namer, useLoad } from '../load.ts';
import { sortErrors } from '../problems.ts';
import { useAction } from '../action.ts';
import type { ApiKey, NewApiKey } from '../types.ts';
import { ListTable } from '../list-table.tsx';
import { SecretOnce } from '../secret-once.tsx';
import { ConfirmDelete, DeleteButton, formatTime, Notice, ProblemAlert, TextField } from '../ui.tsx';
import { listApplications } from './store-resources.ts';

/** A store's API keys (store-level and per application): a new key is shown once, with a copy button. */
export function ApiKeys({ storeId }: { storeId: string }) {
  const loaded = useLoad(
    () =>
      Promise.all([
        answer(admin.GET(op['api-keys-list'], { params: { path: { storeId } } })).then(
          (answered) => answered.items,
        ),
        listApplications(storeId),
      ]),
    `keys:${storeId}`,
  );
  const [keys, applications] = loaded.data ?? [];
  const applicationName = namer(applications);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<NewApiKey>();
  const { busy, problem, notice, run } = useAction();
  const [deleting, setDeleting] = useState<ApiKey>();
  const { byField, rest } = sortErrors(problem, ['name']);

  const create = async (event: Event) => {
    event.preventDefault();
    setCreated(undefined);
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
        <SecretOnce id="new-api-key" label="API key" value={created.key}>
          <p>
            API key <strong>{created.name}</strong> created.
          </p>
        </SecretOnce>
      ) : null}
      {keys?.length ? (
        <ListTable caption="API keys" headings={['Name', 'Application', 'Created', 'Last used', 'Actions']}>
          {keys.map((key) => (
            <tr key={key.id}>
              <th scope="row">{key.name}</th>
              <td>{key.applicationId ? applicationName(key.applicationId) : 'Whole store'}</td>
              <td>{formatTime(key.createdAt)}</td>
              <td>{formatTime(key.lastUsedAt)}</td>
              <td class="row-actions">
                <DeleteButton onClick={() => setDeleting(key)} />
              </td>
            </tr>
          ))}
        </ListTable>
      ) : keys ? (
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
