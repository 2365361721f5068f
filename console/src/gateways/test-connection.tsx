import { useState } from 'preact/hooks';
import { admin, answer, op } from '../api.ts';
import { asProblem } from '../load.ts';
import { sortErrors } from '../problems.ts';
import type { Gateway, Problem } from '../types.ts';
import { Dialog, ProblemAlert, TextField } from '../ui.tsx';

/** The seed's "Test SMS Gateway Connection" dialog: a phone number, **OK** sends a real test message. */
export function TestConnectionDialog({ gateway, onClose }: { gateway: Gateway; onClose: () => void }) {
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [sent, setSent] = useState<string>();
  const { byField, rest } = sortErrors(problem, ['phoneNumber']);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setSent(undefined);
    try {
      const sent = await answer(
        admin.POST(op['gateways-test'], {
          params: { path: { gatewayId: gateway.id } },
          body: { phoneNumber: phone.trim() },
        }),
      );
      setSent(`Test message sent through ${gateway.name} (provider message id ${sent.providerMessageId}).`);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Test SMS Gateway Connection" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TextField
          id="test-phone"
          label="Mobile phone number"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          autofocus
          value={phone}
          onValue={setPhone}
          errors={byField.phoneNumber}
          hint="Use International format, with no spaces or special characters. For example: 18588123169, 447079692712, 923225867987."
        />
        <ProblemAlert problem={problem} rest={rest} />
        <div class="notice" role="status">
          {sent ?? ''}
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            OK
          </button>
          <button type="button" onClick={onClose}>
            {sent ? 'Close' : 'Cancel'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
