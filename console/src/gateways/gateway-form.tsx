import { useEffect, useState } from 'preact/hooks';
import { CUSTOM_HTTP_AUTH_SCHEMES } from '../../../shared/domain/gateways/gateway.ts';
import type { GatewayField } from '../../../shared/domain/gateways/gateway-types.ts';
import { admin, answer, ifMatch, op } from '../api.ts';
import { FormScreen, LoadingScreen, SecretField, useSave } from '../forms.tsx';
import { gatewayTypes, useLoad } from '../load.ts';
import { sortErrors } from '../problems.ts';
import { navigate } from '../router.ts';
import type { GatewayType } from '../types.ts';
import { Checkbox, ProblemAlert, SelectField, TextArea, TextField } from '../ui.tsx';
import {
  createBody,
  formValues,
  patchBody,
  takesCallbackSecret,
  usedFields,
  type GatewayFormValues,
} from './gateway-body.ts';
import { TestConnectionDialog } from './test-connection.tsx';

/** The seed's labels for the generic fields. */
const LABELS: Record<GatewayField, string> = {
  accountId: 'Account ID',
  username: 'User Name',
  password: 'Password',
  from: 'From',
  url: 'Gateway URL',
};

/** The proxy's plain fields, in the seed's order after its user name and password. */
const PROXY_TEXT_FIELDS = [
  ['description', 'Description'],
  ['domain', 'Proxy Domain'],
  ['host', 'Proxy Host Name'],
  ['port', 'Proxy Port'],
] as const;

const PROXY_PATHS = ['username', 'password', 'description', 'domain', 'host', 'port'].map(
  (key) => `proxy.${key}`,
);

/** "Create SMS Gateway" and "Edit SMS Gateway": the fields the chosen type uses, proxy options, default. */
export function GatewayForm({ id }: { id?: string }) {
  const loaded = useLoad(
    () =>
      Promise.all([
        gatewayTypes(),
        id
          ? answer(admin.GET(op['gateways-get'], { params: { path: { gatewayId: id } } }))
          : Promise.resolve(undefined),
      ]),
    `gateway:${id ?? 'new'}`,
  );
  const [types, gateway] = loaded.data ?? [];
  // Set from what was loaded before the form shows, so that no empty form is ever on screen.
  const [values, setValues] = useState<GatewayFormValues>();
  const [showProxy, setShowProxy] = useState(false);
  const { problem, busy, save } = useSave('gateways');
  const [testing, setTesting] = useState(false);

  useEffect(() => {
    if (!loaded.data) return;
    setValues(formValues(gateway));
    setShowProxy(Boolean(gateway?.proxy));
  }, [loaded.data]);

  const type: GatewayType | undefined = types?.find((t) => t.type === values?.type);
  const used = usedFields(type);
  // Errors naming a field that is not on screen go to the alert, with their path.
  const { byField, rest } = sortErrors(problem, [
    'name',
    'type',
    ...used,
    ...(values && takesCallbackSecret(values.type) ? ['callbackSecret'] : []),
    'isDefault',
    ...(showProxy ? PROXY_PATHS : []),
  ]);
  const set = (patch: Partial<GatewayFormValues>) => setValues((v) => v && { ...v, ...patch });
  const setProxy = (patch: Partial<GatewayFormValues['proxy']>) =>
    setValues((v) => v && { ...v, proxy: { ...v.proxy, ...patch } });
  const proxyErrors = (key: string) => byField[`proxy.${key}`];

  const submit = (event: Event) => {
    event.preventDefault();
    if (!values) return;
    void save(async () => {
      const saved = gateway
        ? await answer(
            admin.PATCH(op['gateways-update'], {
              params: { path: { gatewayId: gateway.id }, header: ifMatch(gateway.version) },
              body: patchBody(values, gateway, type),
            }),
          )
        : await answer(admin.POST(op['gateways-create'], { body: createBody(values, type) }));
      return `SMS gateway ${saved.name} ${gateway ? 'saved' : 'created'}.`;
    });
  };

  const title = id ? 'Edit SMS Gateway' : 'Create SMS Gateway';
  if (!loaded.data || !values) return <LoadingScreen title={title} problem={loaded.problem} />;
  const sendsTo = gateway && gateway.type === values.type ? (gateway.effectiveUrl ?? gateway.url) : null;
  return (
    <FormScreen
      title={title}
      onSubmit={submit}
      after={
        testing && gateway ? (
          <TestConnectionDialog gateway={gateway} onClose={() => setTesting(false)} />
        ) : null
      }
    >
      <TextField
        id="gw-name"
        label="Name"
        required
        value={values.name}
        onValue={(name) => set({ name })}
        errors={byField.name}
      />
      <SelectField
        id="gw-type"
        label="Gateway Type"
        required
        value={values.type}
        onValue={(value) => set({ type: value })}
        errors={byField.type}
        hint={
          // The seed: selecting a type shows the address it sends to (the console type has none).
          type && type.fields.url !== 'ignored' ? (
            <>
              Gateway URL: <code>{sendsTo ?? type.url ?? 'the Gateway URL below'}</code>
            </>
          ) : undefined
        }
      >
        <option value="" disabled>
          Select a gateway type
        </option>
        {types?.map((t) => (
          <option key={t.type} value={t.type} disabled={t.enabled === false}>
            {t.displayName}
          </option>
        ))}
      </SelectField>
      {used.map((field) =>
        field === 'bodyTemplate' ? (
          <TextArea
            key={field}
            id="gw-bodyTemplate"
            label="Body template"
            value={values.bodyTemplate}
            onValue={(bodyTemplate) => set({ bodyTemplate })}
            errors={byField.bodyTemplate}
            hint="JSON with {to}, {message}, {from} and {accountId} placeholders; empty for the default."
          />
        ) : field === 'authScheme' ? (
          <SelectField
            key={field}
            id="gw-authScheme"
            label="Authentication scheme"
            value={values.authScheme}
            onValue={(authScheme) => set({ authScheme })}
            errors={byField.authScheme}
          >
            <option value="">Default</option>
            {CUSTOM_HTTP_AUTH_SCHEMES.map((scheme) => (
              <option key={scheme} value={scheme}>
                {scheme}
              </option>
            ))}
          </SelectField>
        ) : field === 'password' ? (
          <SecretField
            key={field}
            id="gw-password"
            label={LABELS.password}
            what="password"
            stored={Boolean(gateway?.hasPassword)}
            required={type?.fields.password === 'required' && !gateway?.hasPassword}
            value={values.password}
            onValue={(password) => set({ password })}
            clear={values.clearPassword}
            onClear={(clearPassword) => set({ clearPassword })}
            errors={byField.password}
            hint={type?.fieldDescriptions.password}
          />
        ) : (
          <TextField
            key={field}
            id={`gw-${field}`}
            label={LABELS[field]}
            type={field === 'url' ? 'url' : 'text'}
            required={type?.fields[field] === 'required'}
            value={values[field]}
            onValue={(value) => set({ [field]: value })}
            errors={byField[field]}
            hint={type?.fieldDescriptions[field]}
          />
        ),
      )}
      {takesCallbackSecret(values.type) ? (
        <SecretField
          id="gw-callbackSecret"
          label="Callback secret"
          what="callback secret"
          stored={Boolean(gateway?.hasCallbackSecret)}
          value={values.callbackSecret}
          onValue={(callbackSecret) => set({ callbackSecret })}
          clear={values.clearCallbackSecret}
          onClear={(clearCallbackSecret) => set({ clearCallbackSecret })}
          errors={byField.callbackSecret}
          hint="What the provider signs delivery receipts with (Twilio, Plivo: the Auth Token; Vonage: the signature secret; custom-http: a secret shared with it). Empty: receipts are refused."
        />
      ) : null}
      <p>
        <button
          type="button"
          aria-expanded={showProxy}
          aria-controls="proxy-options"
          onClick={() => setShowProxy(!showProxy)}
        >
          {showProxy ? 'Hide Proxy Options' : 'Show Proxy Options'}
        </button>
      </p>
      {showProxy ? (
        <fieldset id="proxy-options">
          <legend>Proxy</legend>
          <TextField
            id="proxy-username"
            label="Proxy User Name"
            autoComplete="off"
            value={values.proxy.username}
            onValue={(username) => setProxy({ username })}
            errors={proxyErrors('username')}
          />
          <SecretField
            id="proxy-password"
            label="Proxy Password"
            what="proxy password"
            stored={Boolean(gateway?.proxy?.hasPassword)}
            value={values.proxy.password}
            onValue={(password) => setProxy({ password })}
            clear={values.proxy.clearPassword}
            onClear={(clearPassword) => setProxy({ clearPassword })}
            errors={proxyErrors('password')}
          />
          {PROXY_TEXT_FIELDS.map(([key, label]) => (
            <TextField
              key={key}
              id={`proxy-${key}`}
              label={label}
              inputMode={key === 'port' ? 'numeric' : undefined}
              value={values.proxy[key]}
              onValue={(value) => setProxy({ [key]: value })}
              errors={proxyErrors(key)}
            />
          ))}
        </fieldset>
      ) : null}
      <Checkbox
        id="gw-isDefault"
        label="Set as default account"
        checked={values.isDefault}
        onChecked={(isDefault) => set({ isDefault })}
        errors={byField.isDefault}
        hint="The default account is linked to the identity stores created from now on."
      />
      <ProblemAlert problem={problem} rest={rest} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {gateway ? 'Save SMS Gateway' : 'Create SMS Gateway'}
        </button>
        {gateway ? (
          <button type="button" onClick={() => setTesting(true)}>
            Test Connection
          </button>
        ) : null}
        <button type="button" onClick={() => navigate('gateways')}>
          Cancel
        </button>
      </div>
    </FormScreen>
  );
}
