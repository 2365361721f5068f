/**
 * The Usage tab's mount point. The usage view (api.md "Usage": From, To, Group by, the table and the
 * conversion-rate chart) is its own component; when it is in the build, this file re-exports it:
 * `export { UsageView as UsageTab } from './usage-view.tsx';`. Until then the tab says so, with no data.
 */
export function UsageTab(_props: { storeId: string }) {
  return <p>The usage view is not part of this console build yet.</p>;
}
