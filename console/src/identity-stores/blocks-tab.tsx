import { useState } from 'preact/hooks';
import { useAction } from '../action.ts';
import { admin, answer, op } from '../api.ts';
import { ListTable } from '../list-table.tsx';
import { useLoad } from '../load.ts';
import type { Block } from '../types.ts';
import { ConfirmDialog, formatTime, Notice, ProblemAlert } from '../ui.tsx';
import { listBlocks } from './store-resources.ts';

const KIND_LABELS: Record<Block['kind'], string> = {
  prefix: 'Number prefix',
  country: 'Country',
  'client-ip': 'Client address',
};

const describe = (block: Block) => `${KIND_LABELS[block.kind].toLowerCase()} ${block.value}`;

/** The fraud guard's active blocks: each lasts until its window ends, or until an admin lifts it. */
export function BlocksTab({ storeId }: { storeId: string }) {
  const loaded = useLoad(() => listBlocks(storeId), `blocks:${storeId}`);
  const { busy, problem, notice, run } = useAction();
  const [lifting, setLifting] = useState<Block>();

  const lift = async (block: Block) => {
    setLifting(undefined);
    await run(
      () =>
        answer(
          admin.DELETE(op['blocks-delete'], {
            params: { path: { storeId, kind: block.kind, value: block.value } },
          }),
        ),
      `Block of the ${describe(block)} lifted.`,
      `The block of the ${describe(block)} was not lifted.`,
    );
    loaded.reload();
  };

  return (
    <section aria-labelledby="blocks-title">
      <h2 id="blocks-title">Blocks</h2>
      <Notice message={notice} />
      <ProblemAlert problem={problem ?? loaded.problem} />
      {loaded.data?.length ? (
        <ListTable
          caption="Active blocks"
          headings={['Kind', 'Value', 'Unverified sends', 'Until', 'Actions']}
        >
          {loaded.data.map((block) => (
            <tr key={`${block.kind}:${block.value}`}>
              <td>{KIND_LABELS[block.kind]}</td>
              <th scope="row">{block.value}</th>
              <td>{block.unverified ?? '—'}</td>
              <td>{formatTime(block.until)}</td>
              <td class="row-actions">
                <button type="button" class="danger" onClick={() => setLifting(block)}>
                  Lift
                </button>
              </td>
            </tr>
          ))}
        </ListTable>
      ) : loaded.data ? (
        <p>No active block.</p>
      ) : null}
      {lifting ? (
        <ConfirmDialog
          title="Lift block"
          message={`Lift the block of the ${describe(lifting)}? Sends to it go out again until the guard counts enough to block it anew.`}
          confirmLabel="Lift"
          busy={busy}
          onConfirm={() => void lift(lifting)}
          onCancel={() => setLifting(undefined)}
        />
      ) : null}
    </section>
  );
}
