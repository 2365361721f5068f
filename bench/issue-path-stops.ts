/**
 * Counts the call stops of the issue path statically: every function of `shared/` that a reader reaches
 * by following calls from `CodeIssuer.issue` (all branches: resend, new challenge, refusals), up to the
 * ledger write (`--to-provider`: up to the provider call as well). A stop is a function or method with a
 * body; a port (an interface method) ends the walk there. Also counts the files those stops live in and
 * the calls that cross from one file to another.
 * `--plan-as-one`: the send plan (a pure function, one file) is one stop, not followed further.
 * `npx tsx bench/issue-path-stops.ts [root of the checkout] [--to-provider] [--plan-as-one] [--list]`
 */
import { relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? '.');
const toProvider = process.argv.includes('--to-provider');
const planAsOne = process.argv.includes('--plan-as-one');
const entryFile = resolve(root, 'shared/domain/challenges/issue-code.ts');
const program = ts.createProgram([entryFile], {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowImportingTsExtensions: true,
  noEmit: true,
  strict: true,
  skipLibCheck: true,
  types: [],
});
const checker = program.getTypeChecker();
// After the write: the delivery and the closing of a superseded enrollment.
const AFTER_THE_WRITE = new Set(['deliver', 'closeChallenges', 'challengeView', 'created']);

type Body = ts.FunctionLikeDeclaration & { body: ts.Node };
const name = (node: ts.Node) => {
  const file = relative(root, node.getSourceFile().fileName);
  const declared = (node as ts.NamedDeclaration).name?.getText() ?? '(anonymous)';
  const owner = ts.isClassLike(node.parent) ? `${node.parent.name?.getText() ?? ''}.` : '';
  return { file, label: `${file} ${owner}${declared}` };
};

function calleeOf(call: ts.CallExpression | ts.NewExpression): ts.Declaration | undefined {
  const signature = checker.getResolvedSignature(call);
  let declaration: ts.Declaration | undefined = signature?.declaration;
  if (!declaration || ts.isJSDocSignature(declaration)) {
    const symbol = checker.getSymbolAtLocation(call.expression);
    const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    declaration = target?.declarations?.[0];
  }
  // A class without a constructor of its own: its construction is no stop.
  if (declaration && ts.isClassDeclaration(declaration)) {
    return declaration.members.find(ts.isConstructorDeclaration);
  }
  return declaration;
}

const stops = new Map<string, { file: string; body: boolean }>();
const crossings = new Set<string>(); // distinct caller -> callee pairs across files
/** Every call into shared/ met on the way (a function called from three places counts three times). */
let callSites = 0;
function walk(fn: ts.Node) {
  const here = name(fn);
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = calleeOf(node);
      const file = callee?.getSourceFile().fileName ?? '';
      if (callee && file.startsWith(resolve(root, 'shared')) && !file.includes('node_modules')) {
        const { label, file: calleeFile } = name(callee);
        const short = label.split(' ')[1]!.split('.').at(-1)!;
        if (toProvider || !AFTER_THE_WRITE.has(short)) {
          callSites++;
          if (calleeFile !== here.file) crossings.add(`${here.label} -> ${label}`);
          if (!stops.has(label)) {
            const body = 'body' in callee && (callee as Body).body !== undefined;
            stops.set(label, { file: calleeFile, body });
            if (body && !(planAsOne && short === 'planSend')) walk(callee);
          }
        }
      }
    }
    // Nested functions (callbacks) are part of the function that holds them.
    ts.forEachChild(node, visit);
  };
  ts.forEachChild((fn as Body).body ?? fn, visit);
}

const source = program.getSourceFile(entryFile)!;
let entry: ts.Node | undefined;
source.forEachChild((node) => {
  if (ts.isClassDeclaration(node) && node.name?.text === 'CodeIssuer') {
    entry = node.members.find((m) => ts.isMethodDeclaration(m) && m.name.getText() === 'issue');
  }
});
stops.set(name(entry!).label, { file: name(entry!).file, body: true });
walk(entry!);

const functions = [...stops].filter(([, s]) => s.body);
const ports = [...stops].filter(([, s]) => !s.body);
const files = new Set(functions.map(([, s]) => s.file));
console.log(
  `${toProvider ? 'to the provider call' : 'to the ledger write'}${planAsOne ? ' (plan as one stop)' : ''}: ${functions.length} call stops in ${files.size} files, ${callSites} call sites, ${crossings.size} of them across files, ${ports.length} port calls`,
);
if (process.argv.includes('--list')) {
  for (const [label] of functions) console.log(`  ${label}`);
  for (const [label] of ports) console.log(`  port: ${label}`);
}
