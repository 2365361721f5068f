import {
  runtimeEnvironment,
  synthDirectory as synthDir,
  synthesizeBundles,
} from '../cdk/synthesized-bundles.ts';

const STAGE = 'bench';
/** Stand-ins for the CloudFormation references in the functions' environment. */
const STAND_INS = {
  TABLE_NAME: `sms-mfa-${STAGE}-table`,
  NOTIFIER_FUNCTION_NAME: `sms-mfa-${STAGE}-replaced-number-notifier`,
};

export interface Bundle {
  functionName: string;
  file: string;
  exportName: string;
  bytes: number;
  /** The function's environment as the runtime would set it (NODE_OPTIONS left out). */
  environment: Record<string, string>;
}

export const synthDirectory = (projectRoot: string) => synthDir(projectRoot, 'bench-bundles-');

/** Synthesizes the app into `outdir` (the caller removes it) and lists the function bundles. */
export function synthBundles(outdir: string): Bundle[] {
  return synthesizeBundles(STAGE, outdir).map((b) => ({
    functionName: b.functionName,
    file: b.file,
    exportName: b.exportName,
    bytes: b.bytes,
    environment: runtimeEnvironment(b.variables, STAND_INS),
  }));
}
