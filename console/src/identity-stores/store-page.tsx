import { useState } from 'preact/hooks';
import { admin, answer, op, segment } from '../api.ts';
import { useLoad } from '../load.ts';
import { BASE } from '../router.ts';
import { Tabs, type Tab } from '../tabs.tsx';
import { Loading, ScreenHeading } from '../ui.tsx';
import { ApiKeys } from './api-keys.tsx';
import { ApplicationsTab } from './applications-tab.tsx';
import { BlocksTab } from './blocks-tab.tsx';
import { IntegrationsTab } from './integrations-tab.tsx';
import { StoreForm } from './store-form.tsx';
import { UsageTab } from './usage-tab.tsx';
import { UsersTab } from './users-tab.tsx';
import { WebhooksTab } from './webhooks-tab.tsx';

/** api.md "Console (wave 3)": the tab names, exactly, in this order. */
export const STORE_TABS = [
  { key: 'settings', label: 'Settings' },
  { key: 'applications', label: 'Applications' },
  { key: 'api-keys', label: 'API Keys' },
  { key: 'integrations', label: 'Integrations' },
  { key: 'webhooks', label: 'Webhooks' },
  { key: 'blocks', label: 'Blocks' },
  { key: 'users', label: 'Users' },
  { key: 'usage', label: 'Usage' },
] as const satisfies readonly Tab<string>[];
export type StoreTab = (typeof STORE_TABS)[number]['key'];

export const isStoreTab = (key: string): key is StoreTab => STORE_TABS.some((tab) => tab.key === key);

/**
 * An identity store's page: its settings and every resource of the store, one tab each. The tab is kept in
 * the address (replaced, not pushed) so that a reload stays on it; what a tab showed once (a secret) is
 * in that tab's state only and is gone when the tab changes or the page reloads.
 */
export function StorePage({ storeId, tab }: { storeId: string; tab: StoreTab }) {
  const [selected, setSelected] = useState<StoreTab>(tab);
  const loaded = useLoad(
    () => answer(admin.GET(op['identity-stores-get'], { params: { path: { storeId } } })),
    `store-page:${storeId}`,
  );
  const store = loaded.data;
  const select = (key: StoreTab) => {
    setSelected(key);
    const suffix = key === 'settings' ? '' : `/${key}`;
    history.replaceState(null, '', `${BASE}identity-stores/${segment(storeId)}${suffix}`);
  };
  return (
    <section>
      <ScreenHeading>Identity Store{store ? `: ${store.name}` : ''}</ScreenHeading>
      {store ? (
        <Tabs
          idPrefix="store"
          label={`Identity store ${store.name}`}
          tabs={STORE_TABS}
          selected={selected}
          onSelect={select}
        >
          {selected === 'settings' ? <StoreForm id={storeId} /> : null}
          {selected === 'applications' ? <ApplicationsTab storeId={storeId} /> : null}
          {selected === 'api-keys' ? <ApiKeys storeId={storeId} /> : null}
          {selected === 'integrations' ? <IntegrationsTab storeId={storeId} /> : null}
          {selected === 'webhooks' ? <WebhooksTab storeId={storeId} /> : null}
          {selected === 'blocks' ? <BlocksTab storeId={storeId} /> : null}
          {selected === 'users' ? <UsersTab storeId={storeId} storeName={store.name} /> : null}
          {selected === 'usage' ? <UsageTab storeId={storeId} /> : null}
        </Tabs>
      ) : (
        <Loading problem={loaded.problem} />
      )}
    </section>
  );
}
