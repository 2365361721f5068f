import { useEffect, useState } from 'preact/hooks';
import { CUSTOM_HTTP_AUTH_SCHEMES } from '../../../shared/domain/gateways/gateway.ts';
import type { GatewayField } from '../../../shared/domain/gateways/gateway-types.ts';
import { api, segment } from '../api.ts';
import { asProblem, gatewayTypes, useLoad } from '../load.ts';
import { sortErrors } from '../problems.ts';
import { navigate } from '../router.ts';
import type { Gateway, GatewayType, Problem } from '../types.ts';
import { Checkbox, Loading, ProblemAlert, ScreenHeading, SelectField, TextArea, TextField } from '../ui.tsx';
import { createBody, formValues, patchBody, usedFields, type GatewayFormValues } from './gateway-body.ts';
import { TestConnectionDialog } from './test-connection.tsx';

/** The seed's labels for the generic fields. */
const LABELS: Record<GatewayField, string> = {
  accountId: 'Account ID',
  username: 'User Name',
  password: 'Password',
  from: 'From',
  url: 'Gateway URL',
};

const PROXY_PATHS = ['username', 'password', 'description', 'domain', 'host', 'port'].map(
  (key) => `proxy.${key}`,
);

/** "Create SMS Gateway" and "Edit SMS Gateway": the fields the chosen type uses, proxy options, default. */
export function GatewayForm({ id }: { id?: string }) {
  const loaded = useLoad(
    () =>
      Promise.all([
        gatewayTypes(),
        id ? api.get<Gateway>(`/admin/gateways/${segment(id)}`) : Promise.resolve(undefined),
      ]),
    `gateway:${id ?? 'new'}`,
  );
  const [types, gateway] = loaded.data ?? [];
  // Set from what was loaded before the form shows, so that no empty form is ever on screen.
  const [values, setValues] = useState<GatewayFormValues>();
  const [showProxy, setShowProxy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
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
    'isDefault',
    ...(showProxy ? PROXY_PATHS : []),
  ]);
  const set = (patch: Partial<GatewayFormValues>) => setValues((v) => v && { ...v, ...patch });
  const setProxy = (patch: Partial<GatewayFormValues['proxy']>) =>
    setValues((v) => v && { ...v, proxy: { ...v.proxy, ...patch } });
  const proxyErrors = (key: string) => byField[`proxy.${key}`];

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!values) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const saved = gateway
        ? await api.patch<Gateway>(
            `/admin/gateways/${segment(gateway.id)}`,
            patchBody(values, gateway, type),
            gateway.version,
          )
        : await api.post<Gateway>('/admin/gateways', createBody(values, type));
      navigate('gateways', `SMS gateway ${saved.name} ${gateway ? 'saved' : 'created'}.`);
    } catch (error) {
      setProblem(asProblem(error));
      setBusy(false);
    }
  };

  const title = id ? 'Edit SMS Gateway' : 'Create SMS Gateway';
  if (!loaded.data || !values) {
    return (
      <section>
        <ScreenHeading>{title}</ScreenHeading>
        <Loading problem={loaded.problem} />
      </section>
    );
  }
  const sendsTo = gateway && gateway.type === values.type ? (gateway.effectiveUrl ?? gateway.url) : null;
  return (
    <section>
      <ScreenHeading>{title}</ScreenHeading>
      <form onSubmit={submit} noValidate>
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
            <div key={field}>
              <TextField
                id="gw-password"
                label={LABELS.password}
                type="password"
                autoComplete="new-password"
                required={type?.fields.password === 'required' && !gateway?.hasPassword}
                value={values.password}
                onValue={(password) => set({ password })}
                errors={byField.password}
                hint={
                  gateway?.hasPassword
                    ? 'A password is stored; leave this empty to keep it.'
                    : type?.fieldDescriptions.password
                }
              />
              {gateway?.hasPassword ? (
                <Checkbox
                  id="gw-clearPassword"
                  label="Remove the stored password"
                  checked={values.clearPassword}
                  onChecked={(clearPassword) => set({ clearPassword })}
                />
              ) : null}
            </div>
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
            <TextField
              id="proxy-password"
              label="Proxy Password"
              type="password"
              autoComplete="new-password"
              value={values.proxy.password}
              onValue={(password) => setProxy({ password })}
              errors={proxyErrors('password')}
              hint={
                gateway?.proxy?.hasPassword
                  ? 'A proxy password is stored; leave this empty to keep it.'
                  : undefined
              }
            />
            {gateway?.proxy?.hasPassword ? (
              <Checkbox
                id="proxy-clearPassword"
                label="Remove the stored proxy password"
                checked={values.proxy.clearPassword}
                onChecked={(clearPassword) => setProxy({ clearPassword })}
              />
            ) : null}
            <TextField
              id="proxy-description"
              label="Description"
              value={values.proxy.description}
              onValue={(description) => setProxy({ description })}
              errors={proxyErrors('description')}
            />
            <TextField
              id="proxy-domain"
              label="Proxy Domain"
              value={values.proxy.domain}
              onValue={(domain) => setProxy({ domain })}
              errors={proxyErrors('domain')}
            />
            <TextField
              id="proxy-host"
              label="Proxy Host Name"
              value={values.proxy.host}
              onValue={(host) => setProxy({ host })}
              errors={proxyErrors('host')}
            />
            <TextField
              id="proxy-port"
              label="Proxy Port"
              inputMode="numeric"
              value={values.proxy.port}
              onValue={(port) => setProxy({ port })}
              errors={proxyErrors('port')}
            />
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
      </form>
      {testing && gateway ? (
        <TestConnectionDialog gateway={gateway} onClose={() => setTesting(false)} />
      ) : null}
    </section>
  );
}
