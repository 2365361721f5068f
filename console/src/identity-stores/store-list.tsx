import { useState } from 'preact/hooks';
import { admin, answer, op, segment } from '../api.ts';
import { listGateways, listStores, namer, useLoad } from '../load.ts';
import { navigate, takeNotice } from '../router.ts';
import { useAction } from '../action.ts';
import type { IdentityStore } from '../types.ts';
import { ListTable } from '../list-table.tsx';
import { ConfirmDelete, DeleteButton, Notice, ProblemAlert, ScreenHeading, ScreenLink } from '../ui.tsx';

/** The seed's "Identity Stores" page: one row per store, its actions in the row. */
export function StoreList() {
  const loaded = useLoad(() => Promise.all([listStores(), listGateways()]), 'stores');
  const { busy, problem, notice, run } = useAction(takeNotice());
  const [deleting, setDeleting] = useState<IdentityStore>();
  const [stores, gateways] = loaded.data ?? [];
  const gatewayName = namer(gateways);

  const remove = async (store: IdentityStore) => {
    setDeleting(undefined);
    await run(
      () => answer(admin.DELETE(op['identity-stores-delete'], { params: { path: { storeId: store.id } } })),
      `Identity store ${store.name} deleted.`,
      `${store.name} was not deleted.`,
    );
    loaded.reload();
  };

  return (
    <section>
      <ScreenHeading>Identity Stores</ScreenHeading>
      <Notice message={notice} />
      <ProblemAlert problem={problem ?? loaded.problem} />
      {stores ? (
        <>
          <p>
            <button type="button" class="primary" onClick={() => navigate('identity-stores/new')}>
              Create Identity Store
            </button>
          </p>
          {stores.length ? (
            <ListTable
              caption="Identity stores"
              headings={['Name', 'SMS authentication', 'SMS gateway account', 'Text message', 'Actions']}
            >
              {stores.map((store) => (
                <tr key={store.id}>
                  <th scope="row">
                    <ScreenLink path={`identity-stores/${segment(store.id)}`}>{store.name}</ScreenLink>
                  </th>
                  <td>{store.smsAuth.enabled ? 'Enabled' : 'Disabled'}</td>
                  <td>{store.smsAuth.gatewayId ? gatewayName(store.smsAuth.gatewayId) : '—'}</td>
                  <td>
                    {store.smsAuth.messageInfo.encoding}, {store.smsAuth.messageInfo.segments}{' '}
                    {store.smsAuth.messageInfo.segments === 1 ? 'segment' : 'segments'}
                  </td>
                  <td class="row-actions">
                    <button type="button" onClick={() => navigate(`identity-stores/${segment(store.id)}`)}>
                      Edit
                    </button>
                    <DeleteButton onClick={() => setDeleting(store)} />
                  </td>
                </tr>
              ))}
            </ListTable>
          ) : (
            <p>No identity store yet.</p>
          )}
        </>
      ) : loaded.problem ? null : (
        <p aria-busy="true">Loading…</p>
      )}
      <ConfirmDelete
        item={deleting}
        title="Delete Identity Store"
        message={(item) =>
          `Delete the identity store ${item.name}? Its API keys stop working and its users' factors are removed.`
        }
        busy={busy}
        onDelete={remove}
        onCancel={() => setDeleting(undefined)}
      />
    </section>
  );
}
