/** The Usage tab: the usage view (api.md "Usage": From, To, Group by, the table and the conversion-rate chart). */
export { UsageView as UsageTab } from './usage-view.tsx';
