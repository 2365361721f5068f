import { useEffect, useState } from 'preact/hooks';
import { normalizedOriginDomain } from '../../../shared/domain/messages/message-options.ts';
import { admin, answer, ifMatch, op } from '../api.ts';
import { FormScreen, LoadingScreen, useSave } from '../forms.tsx';
import { useLoad } from '../load.ts';
import { sortErrors } from '../problems.ts';
import { navigate } from '../router.ts';
import { ProblemAlert, SelectField, TextField } from '../ui.tsx';
import { MessagePreview } from './message-preview.tsx';

const PATHS = ['messageOptions.originDomain', 'messageOptions.androidAppHash'];

/**
 * An application's page: its autofill lines (**Origin domain**, **Android app hash**) and a **Message
 * preview** of what its sends deliver, in each of the store's languages.
 */
export function ApplicationMessages({ storeId, applicationId }: { storeId: string; applicationId: string }) {
  const loaded = useLoad(
    () =>
      Promise.all([
        answer(admin.GET(op['identity-stores-get'], { params: { path: { storeId } } })),
        answer(admin.GET(op['applications-get'], { params: { path: { storeId, applicationId } } })),
      ]),
    `application:${storeId}:${applicationId}`,
  );
  const [store, application] = loaded.data ?? [];
  const [originDomain, setOriginDomain] = useState('');
  const [androidAppHash, setAndroidAppHash] = useState('');
  const [locale, setLocale] = useState('');
  // Back to the list, which shows the notice (the store page shows none).
  const { problem, busy, save } = useSave('identity-stores');

  useEffect(() => {
    if (!application) return;
    setOriginDomain(application.messageOptions.originDomain ?? '');
    setAndroidAppHash(application.messageOptions.androidAppHash ?? '');
  }, [application]);

  const title = `Application${application ? `: ${application.name}` : ''}`;
  if (!store || !application) return <LoadingScreen title={title} problem={loaded.problem} />;
  const { byField, rest } = sortErrors(problem, PATHS);

  const submit = (event: Event) => {
    event.preventDefault();
    void save(async () => {
      const saved = await answer(
        admin.PATCH(op['applications-update'], {
          params: { path: { storeId, applicationId }, header: ifMatch(application.version) },
          body: {
            messageOptions: {
              originDomain: originDomain.trim() || null,
              androidAppHash: androidAppHash.trim() || null,
            },
          },
        }),
      );
      return `Application ${saved.name} saved.`;
    });
  };

  return (
    <FormScreen title={title} onSubmit={submit}>
      <fieldset>
        <legend>Autofill</legend>
        <TextField
          id="application-origin-domain"
          label="Origin domain"
          value={originDomain}
          onValue={setOriginDomain}
          errors={byField['messageOptions.originDomain']}
          hint="The host of the sign-in page (login.example.com): the last line becomes @host #code for WebOTP and one-time-code autofill."
        />
        <TextField
          id="application-app-hash"
          label="Android app hash"
          value={androidAppHash}
          onValue={setAndroidAppHash}
          errors={byField['messageOptions.androidAppHash']}
          hint="The 11-character SMS Retriever hash of the Android app, on its own line."
        />
      </fieldset>
      <SelectField
        id="application-preview-locale"
        label="Preview language"
        value={locale}
        onValue={setLocale}
      >
        <option value="">Default</option>
        {Object.keys(store.smsAuth.messageTemplates).map((tag) => (
          <option key={tag} value={tag}>
            {tag}
          </option>
        ))}
      </SelectField>
      <MessagePreview
        smsAuth={store.smsAuth}
        locale={locale}
        options={{
          originDomain: originDomain.trim() ? normalizedOriginDomain(originDomain) : null,
          androidAppHash: androidAppHash.trim() || null,
        }}
        codeLength={store.codePolicy.length}
      />
      <ProblemAlert problem={problem} rest={rest} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={() => navigate(`identity-stores/${encodeURIComponent(storeId)}`)}>
          Cancel
        </button>
      </div>
    </FormScreen>
  );
}
