import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/app.ts';
import { SmsMfa } from '../../cdk/index.ts';
import { PROJECT_ROOT } from '../../cdk/sms-mfa-stack.ts';

type Template = {
  Resources: Record<string, { Metadata?: Record<string, unknown> } & Record<string, unknown>>;
  Outputs?: Record<string, unknown>;
} & Record<string, unknown>;

/**
 * Templates only: no esbuild run (the bundles have their own test); construct paths in the metadata
 * (the CLI's default; a bare App leaves them out), to pair the two templates' resources.
 */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true };

/** What a team's own CDK app looks like: the package entry, an environment-agnostic stack, cdk-nag on. */
const CUSTOMER_APP = `
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { SmsMfa } from 'sms-mfa/cdk';

const app = new App({ outdir: process.argv[2], context: ${JSON.stringify(NO_BUNDLING)} });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
const stack = new Stack(app, 'Customer');
new SmsMfa(stack, 'Mfa', { stage: 'dev' });
app.synth();
`;

/**
 * A template with its logical ids replaced by construct paths below the `SmsMfa` (the ids embed the
 * path, which differs: `Customer/Mfa/...` here, `SmsMfa-dev/Default/...` in the project's app).
 */
function normalized(template: Template, stackName: string, mfaId: string): unknown {
  const names = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const where = resource.Metadata?.['aws:cdk:path'];
    // CDK's own resources (CDKMetadata) have fixed ids and no path.
    if (typeof where !== 'string') continue;
    const parts = where.split('/');
    expect(parts[0]).toBe(stackName);
    names.set(id, `<${(parts[1] === mfaId ? parts.slice(2) : parts.slice(1)).join('/')}>`);
    delete resource.Metadata?.['aws:cdk:path'];
  }
  const outputs: Record<string, unknown> = {};
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    // CfnOutput ids below a construct gain its id in front and a path hash behind.
    const name =
      mfaId === 'Default' ? id : id.replace(new RegExp(`^${mfaId}`), '').replace(/[0-9A-F]{8}$/, '');
    outputs[name] = output;
  }
  expect(names.size).toBeGreaterThan(100);
  const ids = [...names.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`\\b(${ids.join('|')})\\b`, 'g');
  // Names CDK derives from the construct's unique id (event rule permission ids and Sids) and asset
  // hashes (the asset staging path differs) are the other path-dependent strings.
  const root = `${stackName}${mfaId === 'Default' ? '' : mfaId}`.replace(/[^A-Za-z0-9]/g, '');
  const text = JSON.stringify({ Resources: template.Resources, Outputs: outputs })
    .replace(pattern, (id) => names.get(id)!)
    // The monitoring's nested stack: its parameter and output names (`referenceto<root>...<hash>Ref`,
    // `...<hash>QueueName`) and its template's asset hash, which those names change.
    .replace(new RegExp(`${root}([A-Za-z0-9]*?)[0-9A-F]{8}([A-Z][A-Za-z]*)\\b`, 'g'), '<root>$1$2')
    .replace(new RegExp(`${root}([A-Za-z0-9]*?)[0-9A-F]{8}\\b`, 'g'), '<root>$1')
    .replace(/"[0-9a-f]{64}\.zip"/g, '"<asset>.zip"')
    .replace(/"\/[0-9a-f]{64}\.json"/g, '"/<nested template>.json"');
  return JSON.parse(text);
}

describe("the package entry in a team's own CDK app (sms-mfa/cdk)", { timeout: 300_000 }, () => {
  let dir: string;
  let customer: { status: number | null; stderr: string; template?: Template };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sms-mfa-entry-'));
    const modules = path.join(dir, 'node_modules');
    mkdirSync(modules);
    // The package itself, as `npm install` of it would place it, and the peers the app imports.
    symlinkSync(PROJECT_ROOT, path.join(modules, 'sms-mfa'), 'dir');
    for (const peer of ['aws-cdk-lib', 'constructs', 'cdk-nag', 'tsx']) {
      symlinkSync(path.join(PROJECT_ROOT, 'node_modules', peer), path.join(modules, peer), 'dir');
    }
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(path.join(dir, 'app.ts'), CUSTOMER_APP);
    const outdir = path.join(dir, 'cdk.out');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'app.ts', outdir], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    customer = { status: run.status, stderr: run.stderr };
    if (run.status === 0) {
      customer.template = JSON.parse(readFileSync(path.join(outdir, 'Customer.template.json'), 'utf8'));
    }
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('synthesizes the whole service in an environment-agnostic stack, cdk-nag passing', () => {
    // A cdk-nag finding fails synth, so a zero exit means both packs passed.
    expect(customer.stderr.split('\n').filter((l) => /Error|AwsSolutions|Serverless-/.test(l))).toEqual([]);
    expect(customer.status).toBe(0);
    const types = Object.values(customer.template!.Resources).map((r) => r.Type);
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::ApiGatewayV2::Api',
      'AWS::Lambda::Function',
      // The monitoring's nested stack (alarms, dashboard, log queries).
      'AWS::CloudFormation::Stack',
    ]) {
      expect(types).toContain(type);
    }
  });

  it("equals the project's own app for the same settings, up to logical ids", () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'sms-mfa-entry-own-'));
    try {
      const built = buildApp({ stage: 'dev', ...NO_BUNDLING }, { outdir });
      built.app.synth();
      const own = JSON.parse(readFileSync(path.join(outdir, built.stack.templateFile), 'utf8')) as Template;
      expect(Object.keys(customer.template!.Resources)).toHaveLength(Object.keys(own.Resources).length);
      expect(normalized(customer.template!, 'Customer', 'Mfa')).toEqual(
        normalized(own, 'SmsMfa-dev', 'Default'),
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('fails on an invalid prop with a message naming it, before building anything', () => {
    const stack = () => new Stack(new App(), 'S');
    expect(() => new SmsMfa(stack(), 'Mfa', { stage: 'Prod' })).toThrow(/SmsMfa props: stage: must match/);
    expect(() => new SmsMfa(stack(), 'Mfa', { stage: 'dev', sendConcurrency: -1 })).toThrow(
      /sendConcurrency: .*>=\s*0/,
    );
    expect(() => new SmsMfa(stack(), 'Mfa', { stage: 'dev', sendConcurency: 5 } as never)).toThrow(
      /sendConcurency/,
    );
    const s = stack();
    expect(() => new SmsMfa(s, 'Mfa', { stage: 'prod' })).toThrow(/edgeWebAclArn/);
    expect(s.node.findAll().length).toBeLessThan(3);
  });
});
