import { admin, answer, op, segment } from '../api.ts';
import { ListTable } from '../list-table.tsx';
import { listGateways, namer, useLoad } from '../load.ts';
import { formatTime, Loading, ScreenHeading, ScreenLink } from '../ui.tsx';

/** One challenge's history: what it was for, how it ended, and each message with its gateway and receipt. */
export function ChallengeHistoryScreen({ storeId, challengeId }: { storeId: string; challengeId: string }) {
  const loaded = useLoad(
    () => answer(admin.GET(op['challenges-get'], { params: { path: { storeId, challengeId } } })),
    `challenge:${storeId}:${challengeId}`,
  );
  // Apart from the challenge, so that the way back names the store also when the id is unknown.
  const context = useLoad(
    () =>
      Promise.all([
        answer(admin.GET(op['identity-stores-get'], { params: { path: { storeId } } })),
        listGateways(),
      ]),
    `challenge-context:${storeId}`,
  );
  const challenge = loaded.data;
  const [store, gateways] = context.data ?? [];
  const gatewayName = namer(gateways);
  return (
    <section>
      <ScreenHeading>Challenge {challengeId}</ScreenHeading>
      <p>
        <ScreenLink path={`identity-stores/${segment(storeId)}/users`}>
          Back to the users of {store?.name ?? 'the identity store'}
        </ScreenLink>
      </p>
      {challenge ? (
        <>
          <dl>
            <dt>Purpose</dt>
            <dd>{challenge.purpose}</dd>
            <dt>Status</dt>
            <dd>{challenge.status}</dd>
            <dt>Phone</dt>
            <dd>{challenge.maskedPhone}</dd>
            <dt>Created</dt>
            <dd>{formatTime(challenge.createdAt)}</dd>
            <dt>Approved</dt>
            <dd>{formatTime(challenge.approvedAt)}</dd>
            <dt>Wrong codes</dt>
            <dd>{challenge.attempts}</dd>
            {challenge.test ? (
              <>
                <dt>Test number</dt>
                <dd>yes: no message was sent</dd>
              </>
            ) : null}
          </dl>
          {challenge.sends.length ? (
            <ListTable caption="Messages sent" headings={['Time', 'Gateway', 'Outcome', 'Delivery']}>
              {challenge.sends.map((send, index) => (
                <tr key={`${send.at}:${index}`}>
                  <th scope="row">{formatTime(send.at)}</th>
                  <td>{gatewayName(send.gatewayId)}</td>
                  <td>{send.outcome}</td>
                  <td>
                    {send.deliveryStatus
                      ? `${send.deliveryStatus}${send.deliveredAt ? ` ${formatTime(send.deliveredAt)}` : ''}`
                      : 'no receipt'}
                  </td>
                </tr>
              ))}
            </ListTable>
          ) : (
            <p>No message was sent for this challenge.</p>
          )}
        </>
      ) : (
        <Loading problem={loaded.problem ?? context.problem} />
      )}
    </section>
  );
}
