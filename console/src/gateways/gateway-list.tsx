import { useState } from 'preact/hooks';
import { admin, answer, op, segment, slugOf } from '../api.ts';
import { gatewayTypes, listGateways, listStores, namer, useLoad } from '../load.ts';
import { navigate, takeNotice } from '../router.ts';
import { useAction } from '../action.ts';
import type { Gateway } from '../types.ts';
import { ListTable } from '../list-table.tsx';
import { ConfirmDelete, DeleteButton, Notice, ProblemAlert, ScreenHeading, ScreenLink } from '../ui.tsx';
import { TestConnectionDialog } from './test-connection.tsx';

/** The seed's "SMS Gateways" page: one row per gateway account, its actions in the row. */
export function GatewayList() {
  const loaded = useLoad(() => Promise.all([listGateways(), listStores(), gatewayTypes()]), 'gateways');
  const { busy, problem, notice, run } = useAction(takeNotice());
  const [testing, setTesting] = useState<Gateway>();
  const [deleting, setDeleting] = useState<Gateway>();
  const [gateways, stores, types] = loaded.data ?? [];
  const storeName = namer(stores);
  const typeName = (type: string) => types?.find((t) => t.type === type)?.displayName ?? type;
  // The API's words: `sms` or `sms, voice` (GET /admin/gateway-types).
  const channels = (type: string) => types?.find((t) => t.type === type)?.channels.join(', ') ?? '—';

  const remove = async (gateway: Gateway) => {
    setDeleting(undefined);
    await run(
      () => answer(admin.DELETE(op['gateways-delete'], { params: { path: { gatewayId: gateway.id } } })),
      `SMS gateway ${gateway.name} deleted.`,
      `${gateway.name} was not deleted.`,
    );
    loaded.reload();
  };

  const linked = problem && slugOf(problem) === 'gateway-in-use' ? (problem.identityStoreIds ?? []) : [];
  return (
    <section>
      <ScreenHeading>SMS Gateways</ScreenHeading>
      <Notice message={notice} />
      <ProblemAlert problem={problem ?? loaded.problem}>
        {linked.length ? (
          <p>
            It is linked to {linked.length === 1 ? 'the identity store' : 'the identity stores'}{' '}
            <strong>{linked.map(storeName).join(', ')}</strong>. Link{' '}
            {linked.length === 1 ? 'that store' : 'those stores'} to another SMS gateway account first.
          </p>
        ) : null}
      </ProblemAlert>
      {gateways ? (
        <>
          <p>
            <button type="button" class="primary" onClick={() => navigate('gateways/new')}>
              {gateways.length ? 'Create SMS Gateway' : 'Setup SMS Gateway'}
            </button>
          </p>
          {gateways.length ? (
            <ListTable
              caption="SMS gateway accounts"
              headings={[
                'Name',
                'Gateway Type',
                'URL',
                'Default',
                'Linked identity stores',
                'Channels',
                'Actions',
              ]}
            >
              {gateways.map((gateway) => (
                <tr key={gateway.id}>
                  <th scope="row">
                    <ScreenLink path={`gateways/${segment(gateway.id)}`}>{gateway.name}</ScreenLink>
                  </th>
                  <td>{typeName(gateway.type)}</td>
                  <td class="url">{gateway.effectiveUrl ?? gateway.url ?? '—'}</td>
                  <td>{gateway.isDefault ? 'Default' : ''}</td>
                  <td>{gateway.linkedIdentityStoreIds.map(storeName).join(', ') || '—'}</td>
                  <td>{channels(gateway.type)}</td>
                  <td class="row-actions">
                    <button type="button" onClick={() => navigate(`gateways/${segment(gateway.id)}`)}>
                      Edit
                    </button>
                    <button type="button" onClick={() => setTesting(gateway)}>
                      Test Connection
                    </button>
                    <DeleteButton onClick={() => setDeleting(gateway)} />
                  </td>
                </tr>
              ))}
            </ListTable>
          ) : (
            <p>No SMS gateway account yet.</p>
          )}
        </>
      ) : loaded.problem ? null : (
        <p aria-busy="true">Loading…</p>
      )}
      {testing ? <TestConnectionDialog gateway={testing} onClose={() => setTesting(undefined)} /> : null}
      <ConfirmDelete
        item={deleting}
        title="Delete SMS Gateway"
        message={(item) =>
          `Delete the SMS gateway account ${item.name}? Its stored passwords are deleted too.`
        }
        busy={busy}
        onDelete={remove}
        onCancel={() => setDeleting(undefined)}
      />
    </section>
  );
}
