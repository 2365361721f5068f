import { useState } from 'preact/hooks';
import { useAction } from '../action.ts';
import { admin, answer, op } from '../api.ts';
import { ListTable } from '../list-table.tsx';
import { useLoad } from '../load.ts';
import { sortErrors } from '../problems.ts';
import { SecretOnce } from '../secret-once.tsx';
import type { Integration, IntegrationKind } from '../types.ts';
import {
  ConfirmDelete,
  DeleteButton,
  formatTime,
  Notice,
  ProblemAlert,
  SelectField,
  TextField,
} from '../ui.tsx';
import { listIntegrations } from './store-resources.ts';

const KINDS: Record<IntegrationKind, string> = {
  supabase: 'Supabase Auth',
  okta: 'Okta',
  kratos: 'Ory Kratos',
  auth0: 'Auth0',
  cognito: 'Amazon Cognito',
};

/** What a create or a rotation answered: shown once, then forgotten with this view. */
interface ShownSecret {
  name: string;
  secret: string;
  hookUrl: string | null;
  rotated: boolean;
}

/** A store's identity-provider integrations: where each provider sends, and its one-time secret. */
export function IntegrationsTab({ storeId }: { storeId: string }) {
  const loaded = useLoad(() => listIntegrations(storeId), `integrations:${storeId}`);
  const [kind, setKind] = useState<IntegrationKind>('supabase');
  const [name, setName] = useState('');
  const [userPoolId, setUserPoolId] = useState('');
  const [kmsKeyArn, setKmsKeyArn] = useState('');
  const [shown, setShown] = useState<ShownSecret>();
  const { busy, problem, notice, run } = useAction();
  const [deleting, setDeleting] = useState<Integration>();
  const { byField, rest } = sortErrors(problem, [
    'kind',
    'name',
    'settings.userPoolId',
    'settings.kmsKeyArn',
  ]);

  const create = async (event: Event) => {
    event.preventDefault();
    setShown(undefined);
    const created = await run(
      () =>
        answer(
          admin.POST(op['integrations-create'], {
            params: { path: { storeId } },
            body: {
              kind,
              name: name.trim(),
              ...(kind === 'cognito'
                ? { settings: { userPoolId: userPoolId.trim(), kmsKeyArn: kmsKeyArn.trim() } }
                : {}),
            },
          }),
        ),
      `Integration ${name.trim()} created.`,
    );
    if (!created) return;
    if (created.secret)
      setShown({ name: created.name, secret: created.secret, hookUrl: created.hookUrl, rotated: false });
    setName('');
    loaded.reload();
  };

  const rotate = async (integration: Integration) => {
    setShown(undefined);
    const rotated = await run(
      () =>
        answer(
          admin.POST(op['integrations-rotate-secret'], {
            params: { path: { storeId, integrationId: integration.id } },
          }),
        ),
      `Integration ${integration.name} has a new secret.`,
    );
    if (rotated)
      setShown({
        name: integration.name,
        secret: rotated.secret,
        hookUrl: integration.hookUrl,
        rotated: true,
      });
  };

  const remove = async (integration: Integration) => {
    setDeleting(undefined);
    setShown(undefined);
    await run(
      () =>
        answer(
          admin.DELETE(op['integrations-delete'], {
            params: { path: { storeId, integrationId: integration.id } },
          }),
        ),
      `Integration ${integration.name} deleted.`,
      `${integration.name} was not deleted.`,
    );
    loaded.reload();
  };

  return (
    <section aria-labelledby="integrations-title">
      <h2 id="integrations-title">Integrations</h2>
      <Notice message={notice} />
      <ProblemAlert problem={problem ?? loaded.problem} rest={rest} />
      {shown ? (
        <SecretOnce id="integration-secret" label="Secret" value={shown.secret}>
          <p>
            {shown.rotated ? 'New secret of' : 'Integration'} <strong>{shown.name}</strong>
            {shown.rotated ? '.' : ' created.'} Give the identity provider this secret
            {shown.hookUrl ? (
              <>
                {' '}
                and the hook URL <code>{shown.hookUrl}</code>
              </>
            ) : null}
            .
          </p>
        </SecretOnce>
      ) : null}
      {loaded.data?.length ? (
        <ListTable caption="Integrations" headings={['Name', 'Kind', 'Hook URL', 'Created', 'Actions']}>
          {loaded.data.map((integration) => (
            <tr key={integration.id}>
              <th scope="row">{integration.name}</th>
              <td>{KINDS[integration.kind]}</td>
              <td class="url">{integration.hookUrl ?? '—'}</td>
              <td>{formatTime(integration.createdAt)}</td>
              <td class="row-actions">
                {integration.hookUrl ? (
                  <button type="button" disabled={busy} onClick={() => void rotate(integration)}>
                    Rotate secret
                  </button>
                ) : null}
                <DeleteButton onClick={() => setDeleting(integration)} />
              </td>
            </tr>
          ))}
        </ListTable>
      ) : loaded.data ? (
        <p>No integration yet.</p>
      ) : null}
      <form onSubmit={create} noValidate>
        <fieldset>
          <legend>New integration</legend>
          <SelectField
            id="integration-kind"
            label="Kind"
            value={kind}
            onValue={(value) => setKind(value as IntegrationKind)}
            errors={byField.kind}
          >
            {(Object.keys(KINDS) as IntegrationKind[]).map((id) => (
              <option key={id} value={id}>
                {KINDS[id]}
              </option>
            ))}
          </SelectField>
          <TextField
            id="integration-name"
            label="Name"
            required
            value={name}
            onValue={setName}
            errors={byField.name}
          />
          {kind === 'cognito' ? (
            <>
              <TextField
                id="integration-pool"
                label="User pool ID"
                value={userPoolId}
                onValue={setUserPoolId}
                errors={byField['settings.userPoolId']}
              />
              <TextField
                id="integration-kms"
                label="KMS key ARN"
                value={kmsKeyArn}
                onValue={setKmsKeyArn}
                errors={byField['settings.kmsKeyArn']}
              />
            </>
          ) : null}
          <button type="submit" disabled={busy}>
            Create integration
          </button>
        </fieldset>
      </form>
      <ConfirmDelete
        item={deleting}
        title="Delete integration"
        message={(item) =>
          `Delete the integration ${item.name}? Its identity provider is refused from then on.`
        }
        busy={busy}
        onDelete={remove}
        onCancel={() => setDeleting(undefined)}
      />
    </section>
  );
}
