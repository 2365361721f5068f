import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { addNagChecks, buildApp } from '../../cdk/app.ts';
import { ServiceTable } from '../../cdk/constructs/table.ts';
import { health } from '../../shared/operations/service.ts';
import type { Route } from '../../shared/routes.ts';
import { describeFindings, unacknowledgedFindings } from './nag-helpers.ts';

/**
 * Negative controls: the nag wiring in cdk/app.ts really fails synth, for errors and warnings, in both
 * packs, and an exact acknowledgement really clears a finding. Without these, "no findings" on the real
 * stack could just mean the checks never ran.
 */
describe('cdk-nag wiring (throwaway stacks)', () => {
  const dirs: string[] = [];
  const newApp = () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'sms-mfa-nag-'));
    dirs.push(outdir);
    const app = new App({ outdir });
    addNagChecks(app);
    return app;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A function that breaks AwsSolutions-L1 (old runtime) and several Serverless rules, nothing acknowledged. */
  function violatingFunction(stack: Stack) {
    return new LambdaFunction(stack, 'Old', {
      runtime: Runtime.NODEJS_18_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({})'),
      memorySize: 256,
      timeout: Duration.seconds(3),
    });
  }

  it('fails synth on an error-level AwsSolutions finding', () => {
    const app = newApp();
    violatingFunction(new Stack(app, 'Bad'));
    expect(() => app.synth()).toThrow(/AwsSolutions-L1/);
  });

  it('fails synth on a warning-level Serverless finding alone', () => {
    const app = newApp();
    // Never-expiring log group: only Serverless-CloudWatchLogGroupRetentionPeriod (a warning) fires.
    new LogGroup(new Stack(app, 'Warn'), 'Forever', { retention: RetentionDays.INFINITE });
    const findings = unacknowledgedFindings(app);
    expect(describeFindings(findings)).toEqual([
      'warning Serverless-CloudWatchLogGroupRetentionPeriod @ Warn/Forever/Resource',
    ]);
    expect(() => app.synth()).toThrow(/CloudWatchLogGroupRetentionPeriod/);
  });

  it('clears exactly the acknowledged finding and no other', () => {
    const app = newApp();
    const stack = new Stack(app, 'Acked');
    const log = new LogGroup(stack, 'Forever', { retention: RetentionDays.INFINITE });
    new LogGroup(stack, 'AlsoForever', { retention: RetentionDays.INFINITE });
    Validations.of(log).acknowledge({
      id: 'Serverless-CloudWatchLogGroupRetentionPeriod',
      reason: 'Throwaway test stack: checks that an acknowledgement clears its own finding.',
    });
    expect(describeFindings(unacknowledgedFindings(app))).toEqual([
      'warning Serverless-CloudWatchLogGroupRetentionPeriod @ Acked/AlsoForever/Resource',
    ]);
    expect(() => app.synth()).toThrow(/AlsoForever/);
  });

  it('passes synth once every finding is acknowledged', () => {
    const app = newApp();
    const stack = new Stack(app, 'AllAcked');
    const log = new LogGroup(stack, 'Forever', { retention: RetentionDays.INFINITE });
    Validations.of(log).acknowledge({
      id: 'Serverless-CloudWatchLogGroupRetentionPeriod',
      reason: 'Throwaway test stack: checks that acknowledged findings do not fail synth.',
    });
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 1);
  });
});

describe('route table guards', () => {
  const route = (over: Partial<Route>): Route => ({
    id: 'x',
    method: 'GET',
    path: '/x',
    handler: 'functions/health/get.ts',
    auth: 'admin',
    access: [],
    summary: 'test route',
    operation: health,
    ...over,
  });

  it('refuses an unauthenticated route that has no recorded reason', () => {
    expect(() =>
      buildApp({}, { stackProps: { routes: [route({ id: 'secret-stuff', auth: 'none' })] } }),
    ).toThrow(/PUBLIC_ROUTES/);
  });

  it('refuses duplicate route ids', () => {
    expect(() => buildApp({}, { stackProps: { routes: [route({}), route({ path: '/y' })] } })).toThrow(
      /Duplicate/,
    );
  });
});

describe('table removal settings', () => {
  it('can be destroyed (and loses deletion protection) when context says destroy', () => {
    const stack = new Stack(new App(), 'T');
    new ServiceTable(stack, 'Data', {
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
      encryptionKey: new Key(stack, 'Key'),
    });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: { DeletionProtectionEnabled: false },
    });
  });
});
