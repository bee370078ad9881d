import { randomBytes } from 'node:crypto';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrm, escapeLiteral, escapeStringsWith, type Orm } from './database.ts';

/** MikroORM's own escaping, the reference ours must match character for character. */
const reference = (value: string): string =>
  (PostgreSqlPlatform.prototype as unknown as { escapeLiteral(v: string): string }).escapeLiteral.call(null, value);

/** Strings made of the characters escaping cares about, and of others. */
function samples(): string[] {
  const alphabet = ["'", '\\', '"', 'a', ' ', '\n', 'é', '𝄞', '?', '$1', "''", '\\\\', 'E'];
  const made = ['', "'", '\\', "it's", 'C:\\path\\to', '{"a":"b\\"c"}', 'plain'];
  for (let i = 0; i < 500; i++) {
    const bytes = randomBytes(1 + (i % 40));
    made.push(Array.from(bytes, (b) => alphabet[b % alphabet.length]).join(''));
  }
  return made;
}

describe('escapeLiteral', () => {
  it('writes exactly the literal MikroORM writes, for quotes, backslashes and everything else', () => {
    for (const value of samples()) expect(escapeLiteral(value), JSON.stringify(value)).toBe(reference(value));
  });
});

describe('escapeStringsWith', () => {
  it('sends strings, alone or in arrays, to the given escaping, and the rest to MikroORM', () => {
    const platform = new PostgreSqlPlatform();
    escapeStringsWith(platform, (value) => `<${value}>`);
    expect(platform.escape('a')).toBe('<a>');
    expect(platform.escape(['a', 2, 'b'])).toBe('<a>, 2, <b>');
    expect(platform.escape(7)).toBe(7);
  });
});

describe('createOrm', () => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await createOrm({
      schema: 'public',
      url: inject('adminDatabaseUrl'),
      entities: [],
      migrations: [],
      poolMax: 2,
    });
  });
  afterAll(() => orm?.close());

  it('names its connections after the subgraph (pg_stat_activity shows whose backends they are)', async () => {
    const [row] = await orm.em.execute<{ name: string }[]>(
      'select application_name as name from pg_stat_activity where pid = pg_backend_pid()',
    );
    expect(row?.name).toBe('trellis-public');
  });

  it("inlines em.execute's parameters with this escaping, and PostgreSQL reads each back unchanged", async () => {
    const platform = orm.em.getPlatform() as PostgreSqlPlatform;
    expect(Object.hasOwn(platform, 'escape'), 'the platform escapes strings with escapeLiteral').toBe(true);
    expect(platform.escape(new Date(0))).toMatch(/^'1970-01-01/);
    const values = [...samples().slice(0, 60), JSON.stringify({ big: 'x'.repeat(40_000), q: "'\\" })];
    for (const value of values) {
      const [row] = await orm.em.execute<{ v: string }[]>('select ?::text as v', [value]);
      expect(row?.v).toBe(value);
    }
  });
});
