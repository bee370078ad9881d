/** Writes `schema/openapi.json` from the route table and `schema/api.graphql` (`npm run openapi`). */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { API_SCHEMA_FILE } from '../gateway/gateway.ts';
import { buildOpenApi } from '../rest-adapter/openapi.ts';
import { routes } from '../rest-adapter/routes/index.ts';

export const OPENAPI_FILE = new URL('../schema/openapi.json', import.meta.url);

if (import.meta.main) {
  const schema = buildSchema(readFileSync(API_SCHEMA_FILE, 'utf8'));
  writeFileSync(OPENAPI_FILE, `${JSON.stringify(buildOpenApi(routes, schema), null, 2)}\n`);
  console.log(`wrote schema/openapi.json (${routes.length} routes)`);
}
