import { useState } from 'preact/hooks';
import { useAction } from '../action.ts';
import { admin, answer, op, segment } from '../api.ts';
import { ListTable } from '../list-table.tsx';
import { useLoad } from '../load.ts';
import { navigate } from '../router.ts';
import { sortErrors } from '../problems.ts';
import { SecretOnce } from '../secret-once.tsx';
import type { Application, NewApiKey } from '../types.ts';
import { ConfirmDelete, DeleteButton, Dialog, formatTime, Notice, ProblemAlert, TextField } from '../ui.tsx';
import { listApplications } from './store-resources.ts';

/** A store's applications (one client app each, with its own keys and MFA policy). */
export function ApplicationsTab({ storeId }: { storeId: string }) {
  const loaded = useLoad(() => listApplications(storeId), `applications:${storeId}`);
  const [name, setName] = useState('');
  const { busy, problem, notice, run } = useAction();
  const [deleting, setDeleting] = useState<Application>();
  const [keyFor, setKeyFor] = useState<Application>();
  const { byField, rest } = sortErrors(problem, ['name']);

  const create = async (event: Event) => {
    event.preventDefault();
    const created = await run(
      () =>
        answer(
          admin.POST(op['applications-create'], {
            params: { path: { storeId } },
            body: { name: name.trim() },
          }),
        ),
      `Application ${name.trim()} created.`,
    );
    if (!created) return;
    setName('');
    loaded.reload();
  };

  const remove = async (application: Application) => {
    setDeleting(undefined);
    await run(
      () =>
        answer(
          admin.DELETE(op['applications-delete'], {
            params: { path: { storeId, applicationId: application.id } },
          }),
        ),
      `Application ${application.name} deleted; its keys no longer work.`,
      `${application.name} was not deleted.`,
    );
    loaded.reload();
  };

  return (
    <section aria-labelledby="applications-title">
      <h2 id="applications-title">Applications</h2>
      <Notice message={notice} />
      <ProblemAlert problem={problem ?? loaded.problem} rest={rest} />
      {loaded.data?.length ? (
        <ListTable caption="Applications" headings={['Name', 'MFA policy', 'Created', 'Actions']}>
          {loaded.data.map((application) => (
            <tr key={application.id}>
              <th scope="row">{application.name}</th>
              <td>{application.mfaPolicy ? 'Its own' : "The identity store's"}</td>
              <td>{formatTime(application.createdAt)}</td>
              <td class="row-actions">
                <button
                  type="button"
                  onClick={() =>
                    navigate(`identity-stores/${segment(storeId)}/applications/${segment(application.id)}`)
                  }
                >
                  Edit
                </button>
                <button type="button" onClick={() => setKeyFor(application)}>
                  Create API key
                </button>
                <DeleteButton onClick={() => setDeleting(application)} />
              </td>
            </tr>
          ))}
        </ListTable>
      ) : loaded.data ? (
        <p>No application yet.</p>
      ) : null}
      <form onSubmit={create} noValidate class="inline-form">
        <TextField
          id="application-name"
          label="Application name"
          value={name}
          onValue={setName}
          errors={byField.name}
        />
        <button type="submit" disabled={busy}>
          Create application
        </button>
      </form>
      {keyFor ? (
        <ApplicationKeyDialog storeId={storeId} application={keyFor} onClose={() => setKeyFor(undefined)} />
      ) : null}
      <ConfirmDelete
        item={deleting}
        title="Delete application"
        message={(item) => `Delete the application ${item.name}? Its API keys are refused from then on.`}
        busy={busy}
        onDelete={remove}
        onCancel={() => setDeleting(undefined)}
      />
    </section>
  );
}

/** Names and creates a key of one application; the key is shown in the dialog and forgotten when it closes. */
function ApplicationKeyDialog({
  storeId,
  application,
  onClose,
}: {
  storeId: string;
  application: Application;
  onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [created, setCreated] = useState<NewApiKey>();
  const { busy, problem, run } = useAction();
  const { byField, rest } = sortErrors(problem, ['name']);
  const create = async (event: Event) => {
    event.preventDefault();
    const key = await run(() =>
      answer(
        admin.POST(op['api-keys-create'], {
          params: { path: { storeId } },
          body: { name: name.trim(), applicationId: application.id },
        }),
      ),
    );
    if (key) setCreated(key);
  };
  return (
    <Dialog title={`Create API key for ${application.name}`} onClose={onClose}>
      <ProblemAlert problem={problem} rest={rest} />
      {created ? (
        <SecretOnce id="new-application-key" label="API key" value={created.key}>
          <p>
            API key <strong>{created.name}</strong> of {application.name} created.
          </p>
        </SecretOnce>
      ) : (
        <form onSubmit={create} noValidate>
          <TextField
            id="application-key-name"
            label="API key name"
            required
            autofocus
            value={name}
            onValue={setName}
            errors={byField.name}
          />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              Create API key
            </button>
          </div>
        </form>
      )}
      <div class="actions">
        <button type="button" onClick={onClose}>
          {created ? 'Done' : 'Cancel'}
        </button>
      </div>
    </Dialog>
  );
}
