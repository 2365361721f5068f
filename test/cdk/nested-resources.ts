import { NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/**
 * A stack's resources together with those of its nested stacks (the monitoring alarms, dashboard and
 * log queries), where each nested reference to a parameter is replaced by what the parent passes for it
 * (`{ Ref: <parent id> }`, a `Fn::GetAtt`): the tests read an alarm's function or topic as in one stack.
 */
export function withNestedStacks(stack: Stack): Resources {
  const parent = Template.fromStack(stack).toJSON().Resources as Resources;
  const merged: Resources = { ...parent };
  const nestedStacks = stack.node
    .findAll()
    .filter((c): c is NestedStack => NestedStack.isNestedStack(c) && c.nestedStackParent === stack);
  for (const nested of nestedStacks) {
    const resourceId = stack.resolve(nested.nestedStackResource!.logicalId) as string;
    const parameters = (parent[resourceId]?.Properties.Parameters ?? {}) as Record<string, unknown>;
    const substitute = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(substitute);
      if (value && typeof value === 'object') {
        const entries = Object.entries(value);
        if (entries.length === 1 && entries[0]![0] === 'Ref' && String(entries[0]![1]) in parameters) {
          return parameters[String(entries[0]![1])];
        }
        return Object.fromEntries(entries.map(([key, inner]) => [key, substitute(inner)]));
      }
      return value;
    };
    const resources = substitute(Template.fromStack(nested).toJSON().Resources) as Resources;
    for (const [id, resource] of Object.entries(resources)) {
      if (id in merged) throw new Error(`logical id ${id} is in the stack and its nested stack`);
      merged[id] = resource;
    }
  }
  return merged;
}

/** How many resources CloudFormation counts in the stack itself (each nested stack is one). */
export function ownResourceCount(stack: Stack): number {
  return Object.keys(Template.fromStack(stack).toJSON().Resources as Resources).length;
}
