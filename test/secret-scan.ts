/**
 * "The secret is stored nowhere": every base table of every schema of the platform's database whose rows, read
 * as text, contain `text`. Tests that hand a secret to a job or a node scan for it after the run (with a
 * positive control of their own, so the scan is known to find what is there).
 */
import pg from 'pg';

export async function tablesContaining(databaseUrl: string, text: string): Promise<string[]> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows: tables } = await db.query<{ s: string; t: string }>(
      `select table_schema as s, table_name as t from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const found: string[] = [];
    for (const { s, t } of tables) {
      const { rows } = await db.query<{ n: number }>(
        `select count(*)::int as n from "${s}"."${t}" x where x::text like $1`,
        [`%${text}%`],
      );
      if ((rows[0]?.n ?? 0) > 0) found.push(`${s}.${t}`);
    }
    return found;
  } finally {
    await db.end();
  }
}
