/**
 * governance/sql.ts reuses the texts a template or `join` built before (by the texts of the fragments
 * spliced in): whatever it reuses, each statement's text and parameters must be exactly those of
 * building it afresh, for every shape a call site takes, in any order.
 */
import { describe, expect, it } from 'vitest';
import { rollSet, withinBudget } from '../../subgraphs/governance/budget-sql.ts';
import { join, ofOrg, Sql, sql } from '../../subgraphs/governance/sql.ts';

/** What `sql` answered before it reused texts: the template's strings with `?` or the fragment's text. */
function naive(strings: readonly string[], values: unknown[]): { text: string; params: unknown[] } {
  let text = strings[0] ?? '';
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value === undefined ? null : value);
    }
    text += strings[i + 1] ?? '';
  });
  return { text, params };
}

describe('governance sql texts', () => {
  it('a call site answers each shape with its own text, however the shapes alternate', () => {
    const site = (filter: Sql, id: unknown) => sql`select * from t where id = ${id} and ${filter} limit ${1}`;
    const filters = [
      ofOrg('e', 'org_a'),
      new Sql('true', []),
      ofOrg('w', 'org_b'),
      new Sql('e.status = ?', ['settled']),
      new Sql('e.status = ?', ['reserved']),
      new Sql('x'.repeat(4), []),
      new Sql('y'.repeat(4), []),
    ];
    // More shapes than a site keeps, visited twice in different orders.
    const order = [0, 1, 2, 3, 4, 5, 6, 0, 6, 1, 5, 2, 4, 3, 3, 0, 0];
    for (const k of order) {
      const filter = filters[k] as Sql;
      const built = site(filter, `id_${k}`);
      const expected = naive(['select * from t where id = ', ' and ', ' limit ', ''], [`id_${k}`, filter, 1]);
      expect(built.text).toBe(expected.text);
      expect(built.params).toEqual(expected.params);
    }
  });

  it('a fragment built afresh with the same text, or a new text of the same length, is compared by content', () => {
    const site = (filter: Sql) => sql`select ${filter}`;
    expect(site(new Sql(['a', 'b'].join(''), [])).text).toBe('select ab');
    expect(site(new Sql(['a', 'b'].join(''), [])).text).toBe('select ab');
    expect(site(new Sql('ac', [])).text).toBe('select ac');
    expect(site(new Sql('ab', [1])).params).toEqual([1]);
  });

  it('join answers the text and parameters of its parts and separator, whatever it joined before', () => {
    const parts = [new Sql('a = ?', [1]), new Sql('b = ?', [2]), sql`c = ${3}`];
    for (const separator of [', ', ' and ', ', ']) {
      for (const some of [parts, parts.slice(1), parts.slice(0, 1), [], parts]) {
        const joined = join(some, separator);
        expect(joined.text).toBe(some.map((p) => p.text).join(separator));
        expect(joined.params).toEqual(some.flatMap((p) => p.params));
      }
    }
    expect(join([new Sql('a', []), new Sql('b', [])], ',').text).toBe('a,b');
    expect(join([new Sql('a', []), new Sql('c', [])], ',').text).toBe('a,c');
  });

  it('budget fragments keep their texts per alias and nested spend, and their own parameters', () => {
    expect(withinBudget('w', 5).params).toEqual([5, 5]);
    expect(withinBudget('w', 7).params).toEqual([7, 7]);
    expect(withinBudget('o', 7).text).toContain('o.budget_micros');
    expect(withinBudget('o', 7).text).not.toContain('w.');
    const plain = rollSet('w');
    const withCost = rollSet('w', sql`${12}::bigint`);
    expect(plain.params).toEqual([]);
    expect(withCost.params).toEqual([12]);
    expect(withCost.text).toContain('w.spent_micros end) + ?::bigint,');
    expect(plain.text).not.toContain('?');
    expect(rollSet('w', new Sql('t.cost', [])).text).toContain('+ t.cost,');
    expect(rollSet('x').text).toContain('x.period_ends_at');
  });
});
