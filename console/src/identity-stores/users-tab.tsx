import { useState } from 'preact/hooks';
import { useAction } from '../action.ts';
import { segment } from '../api.ts';
import { ListTable } from '../list-table.tsx';
import { sortErrors } from '../problems.ts';
import { navigate } from '../router.ts';
import { ConfirmDialog, Dialog, formatTime, Notice, ProblemAlert, ScreenLink, TextField } from '../ui.tsx';
import { getUser, resetSmsFactor, unlockUser, type SupportUser } from './support-api.ts';

/** The path of a challenge's history screen (a challenge id, never a user id, goes in the address). */
export const challengePath = (storeId: string, challengeId: string) =>
  `identity-stores/${segment(storeId)}/challenges/${segment(challengeId)}`;

/**
 * The support desk: one user's factor, lock and recent challenges, with a reset (a lost phone) and an
 * unlock. The user id stays in this view's state: api.md keeps it out of the address.
 */
export function UsersTab({ storeId, storeName }: { storeId: string; storeName: string }) {
  const [userId, setUserId] = useState('');
  const [user, setUser] = useState<SupportUser>();
  const [confirming, setConfirming] = useState<'reset' | 'unlock'>();
  const { busy, problem, notice, run } = useAction();

  const find = async (id: string, done?: string) => {
    const found = await run(() => getUser(storeId, id), done, `User ${id} was not found.`);
    setUser(found);
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const id = userId.trim();
    if (id) void find(id);
  };
  const unlock = async (target: SupportUser) => {
    setConfirming(undefined);
    const done = await run(() => unlockUser(storeId, target.userId).then(() => true));
    if (done) await find(target.userId, `User ${target.userId} unlocked.`);
  };

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <form onSubmit={submit} noValidate class="inline-form">
        <TextField id="user-id" label="User ID" autoComplete="off" value={userId} onValue={setUserId} />
        <button type="submit" disabled={busy}>
          Find
        </button>
      </form>
      <Notice message={notice} />
      <ProblemAlert problem={problem} />
      {user ? (
        <UserDetails
          storeId={storeId}
          user={user}
          busy={busy}
          onReset={() => setConfirming('reset')}
          onUnlock={() => setConfirming('unlock')}
        />
      ) : null}
      <ChallengeLookup storeId={storeId} />
      {user && confirming === 'unlock' ? (
        <ConfirmDialog
          title="Unlock user"
          message={`Unlock ${user.userId} in ${storeName}? The lock ends now and the count of wrong codes starts again.`}
          confirmLabel="Unlock"
          busy={busy}
          onConfirm={() => void unlock(user)}
          onCancel={() => setConfirming(undefined)}
        />
      ) : null}
      {user && confirming === 'reset' ? (
        <ResetDialog
          storeId={storeId}
          storeName={storeName}
          user={user}
          onCancel={() => setConfirming(undefined)}
          onReset={() => (
            setConfirming(undefined),
            void find(user.userId, `SMS factor of ${user.userId} reset.`)
          )}
        />
      ) : null}
    </section>
  );
}

function UserDetails({
  storeId,
  user,
  busy,
  onReset,
  onUnlock,
}: {
  storeId: string;
  user: SupportUser;
  busy: boolean;
  onReset: () => void;
  onUnlock: () => void;
}) {
  const { factor } = user;
  return (
    <section aria-labelledby="user-title">
      <h3 id="user-title">User {user.userId}</h3>
      <dl>
        {user.userRef ? (
          <>
            <dt>User ref</dt>
            <dd>
              <code>{user.userRef}</code>
            </dd>
          </>
        ) : null}
        <dt>SMS factor</dt>
        <dd>{factor ? factor.status : 'none'}</dd>
        {factor ? (
          <>
            <dt>Phone</dt>
            <dd>{factor.maskedPhone}</dd>
            <dt>Verified</dt>
            <dd>{formatTime(factor.verifiedAt)}</dd>
            <dt>Last used</dt>
            <dd>{formatTime(factor.lastUsedAt)}</dd>
            <dt>Lock</dt>
            <dd>{factor.lockedUntil ? `Locked until ${formatTime(factor.lockedUntil)}` : 'Not locked'}</dd>
          </>
        ) : (
          <>
            <dt>Remembered verified number</dt>
            <dd>{user.hasLastVerifiedNumber ? 'yes' : 'no'}</dd>
          </>
        )}
      </dl>
      <div class="actions">
        {factor || user.hasLastVerifiedNumber ? (
          <button type="button" class="danger" disabled={busy} onClick={onReset}>
            Reset SMS factor
          </button>
        ) : null}
        {factor ? (
          <button type="button" disabled={busy} onClick={onUnlock}>
            Unlock
          </button>
        ) : null}
      </div>
      <h4>Recent challenges</h4>
      {user.recentChallenges.length ? (
        <ListTable
          caption="Recent challenges"
          headings={['Challenge', 'Purpose', 'Status', 'Phone', 'Created']}
        >
          {user.recentChallenges.map((challenge) => (
            <tr key={challenge.id}>
              <th scope="row">
                <ScreenLink path={challengePath(storeId, challenge.id)}>{challenge.id}</ScreenLink>
              </th>
              <td>{challenge.purpose}</td>
              <td>{challenge.status}</td>
              <td>{challenge.maskedPhone}</td>
              <td>{formatTime(challenge.createdAt)}</td>
            </tr>
          ))}
        </ListTable>
      ) : (
        <p>No challenge kept for this user.</p>
      )}
    </section>
  );
}

/** A reset is an account-recovery path: it asks why, and the reason goes into the audit record. */
function ResetDialog({
  storeId,
  storeName,
  user,
  onCancel,
  onReset,
}: {
  storeId: string;
  storeName: string;
  user: SupportUser;
  onCancel: () => void;
  onReset: () => void;
}) {
  const [reason, setReason] = useState('');
  const { busy, problem, run } = useAction();
  const { byField, rest } = sortErrors(problem, ['reason']);
  const submit = async (event: Event) => {
    event.preventDefault();
    const done = await run(() => resetSmsFactor(storeId, user.userId, reason.trim()).then(() => true));
    if (done) onReset();
  };
  return (
    <Dialog title="Reset SMS factor" onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <p>
          Reset the SMS factor of {user.userId} in {storeName}? Its number is removed (and told so), live
          codes stop working, and the user enrolls again with a new number.
        </p>
        <TextField
          id="reset-reason"
          label="Reason"
          required
          autofocus
          value={reason}
          onValue={setReason}
          errors={byField.reason}
        />
        <ProblemAlert problem={problem} rest={rest} />
        <div class="actions">
          <button type="submit" class="danger" disabled={busy || !reason.trim()}>
            Reset
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Opens a challenge's history from its id (as a client app or a log line gives it). */
function ChallengeLookup({ storeId }: { storeId: string }) {
  const [challengeId, setChallengeId] = useState('');
  return (
    <form
      noValidate
      class="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (challengeId.trim()) navigate(challengePath(storeId, challengeId.trim()));
      }}
    >
      <TextField
        id="challenge-id"
        label="Challenge ID"
        autoComplete="off"
        value={challengeId}
        onValue={setChallengeId}
      />
      <button type="submit">Open history</button>
    </form>
  );
}
