import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createErrorFormatter } from './graphql-errors.ts';
import { createLogger } from './logger.ts';

/** A resolver error wrapping what pg (or MikroORM, which copies its fields) throws. */
const fromDatabase = (sqlState: string) =>
  new GraphQLError('database said no', {
    path: ['createThing'],
    originalError: Object.assign(new Error('invalid input syntax for type uuid: "x"'), { code: sqlState }),
  });

describe('the GraphQL error formatter', () => {
  const format = createErrorFormatter(createLogger('silent'), false);

  it('answers a database data exception (SQLSTATE class 22) as the client’s 422, never with its text', () => {
    for (const sqlState of ['22P02', '22001', '22003', '22021', '22P05']) {
      const error = fromDatabase(sqlState);
      const formatted = format({ message: error.message, path: error.path }, error);
      expect(formatted.extensions?.code, sqlState).toBe('validation_failed');
      expect(formatted.message).not.toContain('uuid');
    }
  });

  it('keeps division by zero and other database failures internal', () => {
    for (const sqlState of ['22012', '23505', '40001', undefined]) {
      const error = fromDatabase(sqlState as string);
      expect(format({ message: error.message }, error).extensions?.code, String(sqlState)).toBe('internal');
    }
  });
});
