import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** `RuleId @ construct path`, one per finding and resource. */
export type Finding = { id: string; path: string; severity: string | undefined };

export interface Acknowledgement {
  /** Path of the construct the acknowledgement was recorded on; it covers everything below it. */
  path: string;
  id: string;
  reason: string;
}

/** The packs cdk/app.ts registers, fresh, for running them directly on a synthesized tree. */
function packs(): NagPack[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()];
}

function findingsOf(root: IConstruct, pack: NagPack): Finding[] {
  return pack.validateScope(root).violations.flatMap((v) =>
    v.violatingResources.map((r) => ({
      id: v.ruleName,
      path: r.constructPath ?? '?',
      severity: v.severity,
    })),
  );
}

/**
 * What cdk-nag reports after acknowledgements: exactly what fails synth. Warnings included. Runs the
 * packs directly (`validateScope`, cdk-nag's documented entry point for tests) so that a failure lists the
 * findings instead of just "synth threw".
 */
export function unacknowledgedFindings(root: IConstruct): Finding[] {
  return packs().flatMap((pack) => findingsOf(root, pack));
}

/**
 * Every finding cdk-nag would report if nothing were acknowledged. cdk-nag 3.0 has no public switch for
 * this, so the private `isAcknowledged` is replaced on fresh instances. Should cdk-nag rename it, this
 * returns the acknowledged view (fewer findings) and the "every acknowledgement matches a finding" test
 * fails loudly rather than passing.
 */
export function rawFindings(root: IConstruct): Finding[] {
  return packs().flatMap((pack) => {
    Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
    return findingsOf(root, pack);
  });
}

/** Every `Validations.of(scope).acknowledge()` in the tree. */
export function acknowledgements(root: IConstruct): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [qualified, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id: qualified.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return found;
}

export function describeFindings(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity ?? '?'} ${f.id} @ ${f.path}`).sort();
}
