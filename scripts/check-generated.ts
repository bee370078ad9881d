/**
 * Regenerates every generated file (supergraph and API schema, codegen output,
 * OpenAPI) and fails when the result differs from what is committed — so
 * generated files are never stale and never hand-edited.
 */
import { execFileSync } from 'node:child_process';

const GENERATED = ['schema', 'subgraphs/*/generated', 'rest-adapter/generated', 'dashboard/src/generated', 'README.md'];

execFileSync('npm', ['run', '--silent', 'generate'], { stdio: 'inherit' });
const changed = execFileSync('git', ['status', '--porcelain', '--', ...GENERATED], { encoding: 'utf8' }).trim();
if (changed) {
  console.error(`Generated files are stale; run \`npm run generate\` and commit:\n${changed}`);
  console.error(execFileSync('git', ['diff', '--stat', '--', ...GENERATED], { encoding: 'utf8' }));
  process.exit(1);
}
console.log('generated files are up to date');
