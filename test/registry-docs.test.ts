import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, configDocs, loadConfig } from '../kernel/config.ts';
import { errorRegistry } from '../kernel/errors.ts';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('the error registry', () => {
  it('documents every code with its HTTP status in docs/errors.md', () => {
    const doc = read('docs/errors.md');
    for (const [code, { status }] of Object.entries(errorRegistry))
      expect(doc, `docs/errors.md lacks ${code}`).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });
});

describe('configuration', () => {
  it('lists every variable the configuration reads in the README table', () => {
    const readme = read('README.md');
    for (const name of CONFIG_VARIABLES) expect(readme, `README lacks ${name}`).toContain(`| \`${name}\` |`);
    for (const { name, description } of configDocs()) expect(description, `${name} has no description`).not.toBe('');
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ TRELLIS_PORT: 'eighty', TRELLIS_MAX_QUERY_DEPTH: '0', REDIS_URL: 'not a url' }, { allInOne: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('TRELLIS_PORT');
      expect(problems).toContain('TRELLIS_MAX_QUERY_DEPTH');
      expect(problems).toContain('REDIS_URL');
    }
  });

  it('refuses to start in production without secrets, and services split across processes without a shared secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, { allInOne: true })).toThrow(
      /TRELLIS_INTERNAL_SECRET[\s\S]*TRELLIS_ENCRYPTION_KEY/,
    );
    expect(() => loadConfig({})).toThrow(/TRELLIS_INTERNAL_SECRET/);
    expect(loadConfig({}, { allInOne: true }).auth).toMatchObject({ hmacRequired: false, hmacMinVersion: 1 });
    const production = loadConfig(
      { NODE_ENV: 'production', TRELLIS_INTERNAL_SECRET: 'x'.repeat(32), TRELLIS_ENCRYPTION_KEY: 'a'.repeat(64) },
      { allInOne: true },
    );
    expect(production.auth).toMatchObject({ hmacRequired: true, hmacMinVersion: 2 });
    expect(production.graphql.introspection).toBe(false);
  });

  it('refuses a node-lost window shorter than two heartbeats', () => {
    expect(() =>
      loadConfig({ TRELLIS_NODE_HEARTBEAT_SECONDS: '10', TRELLIS_NODE_LOST_SECONDS: '15' }, { allInOne: true }),
    ).toThrow(/TRELLIS_NODE_LOST_SECONDS: must be at least twice TRELLIS_NODE_HEARTBEAT_SECONDS/);
    expect(
      loadConfig({ TRELLIS_NODE_HEARTBEAT_SECONDS: '1', TRELLIS_NODE_LOST_SECONDS: '3' }, { allInOne: true }).compute,
    ).toMatchObject({ heartbeatSeconds: 1, nodeLostSeconds: 3 });
    expect(loadConfig({}, { allInOne: true }).compute).toMatchObject({ heartbeatSeconds: 10, nodeLostSeconds: 30 });
  });
});
