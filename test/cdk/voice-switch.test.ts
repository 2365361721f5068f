import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CfnResource } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../cdk/app.ts';
import { VOICE_SPEND_ALARM_USD_PER_HOUR } from '../../cdk/constructs/monitoring-metrics.ts';
import { sends, VALIDATES_TEST_NUMBERS } from '../../cdk/service-routes.ts';
import { routes } from '../../shared/routes.ts';
import { withNestedStacks } from './nested-resources.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** The app without bundling (`cdk list` does the same): only the template matters here. */
function synth(context: Record<string, unknown> = {}) {
  const app = buildApp(
    {
      stage: 'voice',
      edgeProtection: false,
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...context,
    },
    { outdir: mkdtempSync(path.join(tmpdir(), 'sms-mfa-voice-')) },
  );
  // The alarms live in the monitoring's nested stack: read them as if in one stack.
  return { app, resources: withNestedStacks(app.stack) as Record<string, Resource> };
}

function variablesOf(app: BuiltApp, resources: Record<string, Resource>, id: string) {
  const fn = app.stack.functions.get(id)!.fn.node.defaultChild as CfnResource;
  const environment = resources[app.stack.getLogicalId(fn)]!.Properties.Environment as {
    Variables: Record<string, unknown>;
  };
  return environment.Variables;
}

describe('the voiceAllowed deployment switch (CDK context)', () => {
  // Two synths take longer than one test's time on a shared machine: the hook's time is theirs.
  let off: ReturnType<typeof synth>;
  let on: ReturnType<typeof synth>;
  beforeAll(() => {
    off = synth();
    on = synth({ voiceAllowed: 'true' });
  });

  it('defaults to false: the store writes and every sending function get VOICE_ALLOWED=false; the context turns it on', () => {
    const deciding = routes.filter((r) => VALIDATES_TEST_NUMBERS.has(r.id) || sends(r.access));
    expect(deciding.map((r) => r.id)).toEqual(
      expect.arrayContaining(['identity-stores-create', 'identity-stores-update', 'verifications-create']),
    );
    for (const route of deciding) {
      expect(variablesOf(off.app, off.resources, route.id).VOICE_ALLOWED, route.id).toBe('false');
      expect(variablesOf(on.app, on.resources, route.id).VOICE_ALLOWED, route.id).toBe('true');
    }
    // A route that neither writes stores nor sends has no say in calls.
    expect(variablesOf(off.app, off.resources, 'gateways-list').VOICE_ALLOWED).toBeUndefined();
  });

  it('alarms on the estimated voice spend per hour', () => {
    const { resources } = synth({ alarmEmail: 'ops@example.com' });
    const alarm = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::CloudWatch::Alarm' &&
        String(r.Properties.AlarmName).endsWith('voice-spend-per-hour'),
    );
    expect(alarm?.Properties).toMatchObject({
      Threshold: VOICE_SPEND_ALARM_USD_PER_HOUR,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    // The alarm may read its metric through metric math: find the metric it reads.
    const metrics = (alarm!.Properties.Metrics ?? []) as {
      MetricStat?: { Metric: { MetricName: string; Namespace: string }; Period: number; Stat: string };
    }[];
    const read = metrics.find((m) => m.MetricStat)?.MetricStat ?? {
      Metric: { MetricName: alarm!.Properties.MetricName, Namespace: alarm!.Properties.Namespace },
      Period: alarm!.Properties.Period,
      Stat: alarm!.Properties.Statistic,
    };
    expect(read).toMatchObject({
      Metric: { MetricName: 'VoiceSpend', Namespace: 'SmsMfa' },
      Period: 3600,
      Stat: 'Sum',
    });
  });
});
