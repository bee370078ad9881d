import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { internalEnumDefaults } from './enum-defaults.ts';

const SDL = `
  enum Level { INFO WARNING }
  input NoteInput { level: Level = INFO, levels: [Level!] = [INFO, WARNING], text: String = "x" }
  type Query {
    note(input: NoteInput = { level: WARNING }): String!
    noteOf(input: NoteInput!): String!
    level(level: Level = WARNING): String!
  }
`;

const seen = (value: unknown) => JSON.stringify(value);
const build = () =>
  buildSubgraphSchema([
    {
      typeDefs: parse(SDL),
      resolvers: {
        Level: { INFO: 'info', WARNING: 'warning' },
        Query: {
          note: (_: unknown, { input }: { input: unknown }) => seen(input),
          noteOf: (_: unknown, { input }: { input: unknown }) => seen(input),
          level: (_: unknown, { level }: { level: unknown }) => seen(level),
        },
      } as never,
    },
  ]);

describe('internalEnumDefaults', () => {
  it("gives resolvers the enum's internal value for an omitted field, argument, list or nested default", async () => {
    const schema = internalEnumDefaults(build());
    const result = await graphql({ schema, source: '{ note noteOf(input: {}) level }' });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      // graphql-js fills an input object default's omitted fields with their own defaults.
      note: seen({ level: 'warning', levels: ['info', 'warning'], text: 'x' }),
      noteOf: seen({ level: 'info', levels: ['info', 'warning'], text: 'x' }),
      level: seen('warning'),
    });
  });

  it('lets the schema print and introspect its defaults under their SDL names (buildSubgraphSchema alone throws)', async () => {
    expect(() => printSchema(build())).toThrow(/cannot represent value/);
    const schema = internalEnumDefaults(build());
    const printed = printSchema(schema);
    expect(printed).toContain('level: Level = INFO');
    expect(printed).toContain('levels: [Level!] = [INFO, WARNING]');
    expect(printed).toContain('note(input: NoteInput = {level: WARNING, levels: [INFO, WARNING], text: "x"}): String!');
    const introspected = await graphql({
      schema,
      source: '{ __type(name: "NoteInput") { inputFields { name defaultValue } } }',
    });
    expect(introspected.errors).toBeUndefined();
    expect(introspected.data?.__type).toEqual({
      inputFields: [
        { name: 'level', defaultValue: 'INFO' },
        { name: 'levels', defaultValue: '[INFO, WARNING]' },
        { name: 'text', defaultValue: '"x"' },
      ],
    });
  });
});
