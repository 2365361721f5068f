import {
  bundleInputs,
  runtimeEnvironment,
  synthDirectory as synthDir,
  synthesizeBundles,
  type BundleInput,
} from '../cdk/synthesized-bundles.ts';

const STAGE = 'bench';
/** Stand-ins for the CloudFormation references in the functions' environment. */
const STAND_INS = {
  TABLE_NAME: `sms-mfa-${STAGE}-table`,
  NOTIFIER_FUNCTION_NAME: `sms-mfa-${STAGE}-replaced-number-notifier`,
  WEBHOOK_QUEUE_URL: `https://sqs.us-east-1.amazonaws.com/111122223333/sms-mfa-${STAGE}-webhook-deliveries`,
  SECRET_KMS_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000',
  // The integration routes' hookUrl base (the API's URL, a reference in the template).
  HOOK_BASE_URL: 'https://api.example.com',
  // The expiry functions' schedule target: the reporter (an ARN built in the template) and Scheduler's role.
  EXPIRY_REPORTER_ARN: `arn:aws:lambda:us-east-1:111122223333:function:sms-mfa-${STAGE}-challenge-expiry-report`,
  EXPIRY_SCHEDULER_ROLE_ARN: `arn:aws:iam::111122223333:role/sms-mfa-${STAGE}-expiry-scheduler`,
  // The store sweeper's second-pass queue (a reference in the template).
  SWEEP_AGAIN_QUEUE_URL: `https://sqs.us-east-1.amazonaws.com/111122223333/sms-mfa-${STAGE}-store-sweep-again`,
  // Delivery failover's delay queue (a reference in the template).
  REROUTE_QUEUE_URL: `https://sqs.us-east-1.amazonaws.com/111122223333/sms-mfa-${STAGE}-reroute-jobs`,
};
/** How many of a bundle's largest inputs the report names. */
const TOP_INPUTS = 10;

export interface Bundle {
  functionName: string;
  file: string;
  exportName: string;
  /** What a cold start loads: the entry and the chunks it imports statically. */
  bytes: number;
  /** Every file of the asset, the chunks loaded on first use included. */
  totalBytes: number;
  memorySize: number;
  /** The largest packages of what a cold start loads, from esbuild's metafile. */
  topInputs: BundleInput[];
  /** The function's environment as the runtime would start a process with it. */
  environment: Record<string, string>;
}

export const synthDirectory = (projectRoot: string) => synthDir(projectRoot, 'bench-bundles-');

/** Synthesizes the app into `outdir` (the caller removes it) and lists the function bundles. */
export function synthBundles(outdir: string): Bundle[] {
  return synthesizeBundles(STAGE, outdir).map((b) => {
    if (!b.metafile) throw new Error(`${b.functionName}: the bundling wrote no metafile`);
    return {
      functionName: b.functionName,
      file: b.file,
      exportName: b.exportName,
      bytes: b.bytes,
      totalBytes: b.totalBytes,
      memorySize: b.memorySize,
      topInputs: bundleInputs(b.metafile, 'init').slice(0, TOP_INPUTS),
      environment: runtimeEnvironment(b.variables, STAND_INS, true),
    };
  });
}
