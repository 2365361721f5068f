import { useEffect, useState } from 'preact/hooks';
import { admin, answer, ifMatch, op } from '../api.ts';
import { FormScreen, LoadingScreen, NumericFields, useSave } from '../forms.tsx';
import { listGateways, useLoad } from '../load.ts';
import { sortErrors } from '../problems.ts';
import { navigate } from '../router.ts';
import { Checkbox, ProblemAlert, SelectField, TextArea, TextField } from '../ui.tsx';
import { MessageInfo } from './message-info.tsx';
import { MessageTemplates, templatePath } from './message-templates.tsx';
import {
  CODE_POLICY_KEYS,
  createStoreBody,
  patchStoreBody,
  SEND_LIMIT_KEYS,
  storeValues,
  type StoreFormValues,
} from './store-body.ts';

const CODE_POLICY_LABELS: Record<(typeof CODE_POLICY_KEYS)[number], string> = {
  length: 'Code length (digits)',
  ttlSeconds: 'Code lifetime (seconds)',
  maxAttempts: 'Attempts per code',
  resendIntervalSeconds: 'Resend interval (seconds)',
};
const SEND_LIMIT_LABELS: Record<(typeof SEND_LIMIT_KEYS)[number], string> = {
  perPhonePer10Minutes: 'Sends per phone per 10 minutes',
  perPhonePerDay: 'Sends per phone per day',
  perStorePerDay: 'Sends per store per day',
};

const PATHS = [
  'name',
  'smsAuth.enabled',
  'smsAuth.gatewayId',
  'smsAuth.fallbackGatewayIds',
  'smsAuth.messageTemplate',
  'smsAuth.enforcedRoles',
  ...CODE_POLICY_KEYS.map((key) => `codePolicy.${key}`),
  ...SEND_LIMIT_KEYS.map((key) => `sendLimits.${key}`),
  'allowedCountries',
  'voice.enabled',
  'voice.allowedCountries',
];

/** An identity store's page: the seed's "SMS Authentication" settings (gateway, text message), its policy and keys. */
export function StoreForm({ id }: { id?: string }) {
  const loaded = useLoad(
    () =>
      Promise.all([
        listGateways(),
        id
          ? answer(admin.GET(op['identity-stores-get'], { params: { path: { storeId: id } } }))
          : Promise.resolve(undefined),
      ]),
    `store:${id ?? 'new'}`,
  );
  const [gateways, store] = loaded.data ?? [];
  // Set from what was loaded before the form shows, so that no empty form is ever on screen.
  const [values, setValues] = useState<StoreFormValues>();
  const { problem, busy, save } = useSave('identity-stores');

  useEffect(() => {
    if (loaded.data) setValues(storeValues(store, gateways?.find((g) => g.isDefault)?.id));
  }, [loaded.data]);

  const languagePaths = (values?.messageTemplates ?? []).map((row) => templatePath(row.tag.trim()));
  const { byField, rest } = sortErrors(problem, [...PATHS, ...languagePaths]);
  const set = (patch: Partial<StoreFormValues>) => setValues((v) => v && { ...v, ...patch });

  const submit = (event: Event) => {
    event.preventDefault();
    if (!values) return;
    void save(async () => {
      const saved = store
        ? await answer(
            admin.PATCH(op['identity-stores-update'], {
              params: { path: { storeId: store.id }, header: ifMatch(store.version) },
              body: patchStoreBody(values, store),
            }),
          )
        : await answer(admin.POST(op['identity-stores-create'], { body: createStoreBody(values) }));
      return `Identity store ${saved.name} ${store ? 'saved' : 'created'}.`;
    });
  };

  // An existing store's form is the Settings tab of its page, which has the heading.
  const title = id ? undefined : 'Create Identity Store';
  if (!loaded.data || !gateways || !values) return <LoadingScreen title={title} problem={loaded.problem} />;
  return (
    <FormScreen title={title} onSubmit={submit}>
      <TextField
        id="store-name"
        label="Name"
        required
        value={values.name}
        onValue={(name) => set({ name })}
        errors={byField.name}
      />
      <fieldset>
        <legend>SMS Authentication</legend>
        <Checkbox
          id="store-enabled"
          label="Enable SMS authentication"
          checked={values.enabled}
          onChecked={(enabled) => set({ enabled })}
          errors={byField['smsAuth.enabled']}
        />
        <SelectField
          id="store-gateway"
          label="SMS gateway account"
          value={values.gatewayId}
          onValue={(gatewayId) => set({ gatewayId })}
          errors={byField['smsAuth.gatewayId']}
        >
          <option value="">None</option>
          {gateways.map((gateway) => (
            <option key={gateway.id} value={gateway.id}>
              {gateway.name}
              {gateway.isDefault ? ' (default)' : ''}
            </option>
          ))}
        </SelectField>
        <fieldset
          aria-describedby={byField['smsAuth.fallbackGatewayIds'] ? 'store-fallbacks-error' : undefined}
        >
          <legend>Fallback gateway accounts (tried in this order when the first fails)</legend>
          {gateways.map((gateway) => (
            <Checkbox
              key={gateway.id}
              id={`store-fallback-${gateway.id}`}
              label={gateway.name}
              checked={values.fallbackGatewayIds.includes(gateway.id)}
              onChecked={(checked) =>
                set({
                  fallbackGatewayIds: checked
                    ? gateways
                        .map((g) => g.id)
                        .filter((g) => g === gateway.id || values.fallbackGatewayIds.includes(g))
                    : values.fallbackGatewayIds.filter((g) => g !== gateway.id),
                })
              }
            />
          ))}
          {byField['smsAuth.fallbackGatewayIds'] ? (
            <p class="field-error" id="store-fallbacks-error">
              {byField['smsAuth.fallbackGatewayIds'].join('; ')}
            </p>
          ) : null}
        </fieldset>
        <TextArea
          id="store-template"
          label="Text message"
          value={values.messageTemplate}
          onValue={(messageTemplate) => set({ messageTemplate })}
          errors={byField['smsAuth.messageTemplate']}
          hint={<MessageInfo template={values.messageTemplate} codeLength={values.codePolicy.length} />}
        />
        <MessageTemplates
          rows={values.messageTemplates}
          onRows={(messageTemplates) => set({ messageTemplates })}
          codeLength={values.codePolicy.length}
          byField={byField}
        />
        <TextField
          id="store-roles"
          label="Enforced roles"
          value={values.enforcedRoles}
          onValue={(enforcedRoles) => set({ enforcedRoles })}
          errors={byField['smsAuth.enforcedRoles']}
          hint="Comma-separated security roles that must use SMS; others may choose it."
        />
      </fieldset>
      <NumericFields
        legend="Code policy"
        idPrefix="store-code"
        path="codePolicy"
        labels={CODE_POLICY_LABELS}
        values={values.codePolicy}
        onValues={(codePolicy) => set({ codePolicy })}
        byField={byField}
      />
      <NumericFields
        legend="Send limits"
        idPrefix="store-limit"
        path="sendLimits"
        labels={SEND_LIMIT_LABELS}
        values={values.sendLimits}
        onValues={(sendLimits) => set({ sendLimits })}
        byField={byField}
      />
      <TextField
        id="store-countries"
        label="Allowed countries"
        value={values.allowedCountries}
        onValue={(allowedCountries) => set({ allowedCountries })}
        errors={byField.allowedCountries}
        hint="Comma-separated ISO country codes, for example GB, US; empty allows every country."
      />
      <fieldset>
        <legend>Voice calls</legend>
        <Checkbox
          id="store-voice-enabled"
          label="Enable voice calls"
          checked={values.voiceEnabled}
          onChecked={(voiceEnabled) => set({ voiceEnabled })}
          errors={byField['voice.enabled']}
        />
        <TextField
          id="store-voice-countries"
          label="Voice countries"
          value={values.voiceCountries}
          onValue={(voiceCountries) => set({ voiceCountries })}
          errors={byField['voice.allowedCountries']}
          hint="Comma-separated ISO country codes that may be called, for example GB; required while calls are on (toll fraud)."
        />
      </fieldset>
      <ProblemAlert problem={problem} rest={rest} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={() => navigate('identity-stores')}>
          Cancel
        </button>
      </div>
    </FormScreen>
  );
}
