/**
 * For developers updating the route contract: copies the product's shared
 * `routes.tsv` (default `../shared/spec/routes.tsv`, or the path given) into
 * `schema/routes.tsv` and lists the rows that appeared or disappeared, so the
 * not-yet-served list (`schema/routes-not-yet-served.tsv`) can be updated in
 * the same commit. Tests read only the copy in the repository.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const source = path.resolve(ROOT, process.argv[2] ?? '../shared/spec/routes.tsv');
const target = path.join(ROOT, 'schema/routes.tsv');

const rowsOf = (text: string) => new Set(text.trim().split('\n').slice(1));

if (!existsSync(source)) {
  console.error(`No contract at ${source}; pass the path of routes.tsv as the first argument.`);
  process.exit(1);
}
const next = readFileSync(source, 'utf8');
const before = existsSync(target) ? rowsOf(readFileSync(target, 'utf8')) : new Set<string>();
const after = rowsOf(next);
writeFileSync(target, next);
for (const row of after) if (!before.has(row)) console.log(`+ ${row}`);
for (const row of before) if (!after.has(row)) console.log(`- ${row}`);
console.log(`schema/routes.tsv: ${after.size} rows from ${path.relative(ROOT, source)}`);
