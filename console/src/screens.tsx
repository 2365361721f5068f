import type { VNode } from 'preact';
import { ApplicationMessages } from './applications/application-messages.tsx';
import { GatewayForm } from './gateways/gateway-form.tsx';
import { GatewayList } from './gateways/gateway-list.tsx';
import { ChallengeHistoryScreen } from './identity-stores/challenge-history.tsx';
import { StoreForm } from './identity-stores/store-form.tsx';
import { StoreList } from './identity-stores/store-list.tsx';
import { isStoreTab, StorePage } from './identity-stores/store-page.tsx';

export interface Screen {
  /** Matched against the path under /console/; its groups are passed to `render`. */
  path: RegExp;
  render: (...params: string[]) => VNode;
}

export interface Section {
  /** The navigation entry (the seed's words). */
  label: string;
  /** Its list screen's path under /console/. */
  path: string;
  screens: Screen[];
}

const id = '([^/]+)';

/**
 * One section per admin resource: adding a screen is a component and an entry here. An identity store's
 * own resources (applications, keys, integrations, webhooks, blocks, users) are tabs of its page.
 */
export const SECTIONS: Section[] = [
  {
    label: 'SMS Gateway',
    path: 'gateways',
    screens: [
      { path: /^(?:gateways)?$/, render: () => <GatewayList /> },
      { path: /^gateways\/new$/, render: () => <GatewayForm /> },
      {
        path: new RegExp(`^gateways/${id}$`),
        render: (gatewayId) => <GatewayForm id={decodeURIComponent(gatewayId ?? '')} />,
      },
    ],
  },
  {
    label: 'Identity Stores',
    path: 'identity-stores',
    screens: [
      { path: /^identity-stores$/, render: () => <StoreList /> },
      { path: /^identity-stores\/new$/, render: () => <StoreForm /> },
      {
        path: new RegExp(`^identity-stores/${id}/challenges/${id}$`),
        render: (storeId, challengeId) => (
          <ChallengeHistoryScreen
            storeId={decodeURIComponent(storeId ?? '')}
            challengeId={decodeURIComponent(challengeId ?? '')}
          />
        ),
      },
      {
        path: new RegExp(`^identity-stores/${id}(?:/${id})?$`),
        render: (storeId, tab = '') => (
          <StorePage storeId={decodeURIComponent(storeId ?? '')} tab={isStoreTab(tab) ? tab : 'settings'} />
        ),
      },
      {
        path: new RegExp(`^identity-stores/${id}/applications/${id}$`),
        render: (storeId, applicationId) => (
          <ApplicationMessages
            storeId={decodeURIComponent(storeId ?? '')}
            applicationId={decodeURIComponent(applicationId ?? '')}
          />
        ),
      },
    ],
  },
];

export function findScreen(path: string): { section: Section; node: VNode } | undefined {
  for (const section of SECTIONS) {
    for (const screen of section.screens) {
      const match = screen.path.exec(path);
      if (match) return { section, node: screen.render(...match.slice(1).map((group) => group ?? '')) };
    }
  }
  return undefined;
}
