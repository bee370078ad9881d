import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrellisError } from './errors.ts';
import { checkJsonText, checkJsonValue, type JsonLimits, parseJsonWithin, textProblem } from './json-limits.ts';

const LIMITS: JsonLimits = { maxDepth: 4, maxKeys: 3, maxTotalKeys: 6, maxArrayLength: 3 };

/** The error `run` throws, as `{ code, field, message }`, or null. */
function problem(run: () => unknown) {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof TrellisError)) throw error;
    return { code: error.code, field: error.extensions.field, message: error.message };
  }
}

describe('JSON limits', () => {
  it('bounds depth, keys per object, keys in all and array length, naming where', () => {
    expect(problem(() => parseJsonWithin('[[[[1]]]]', LIMITS))).toBeNull();
    expect(problem(() => parseJsonWithin('[[[[[1]]]]]', LIMITS))?.code).toBe('payload_too_large');
    expect(problem(() => parseJsonWithin(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, LIMITS))?.message).toMatch(
      /deeper than 4/,
    );
    expect(problem(() => parseJsonWithin('{"a":{"b":1,"c":2,"d":3,"e":4}}', LIMITS))).toMatchObject({
      code: 'payload_too_large',
      field: 'a',
    });
    expect(
      problem(() => parseJsonWithin('{"a":{"x":1,"y":2},"b":{"x":1,"y":2},"c":{"x":1}}', LIMITS))?.message,
    ).toMatch(/more than 6 keys in all/);
    expect(problem(() => parseJsonWithin('{"events":[1,2,3]}', LIMITS))).toBeNull();
    expect(problem(() => parseJsonWithin('{"events":[[],{"t":[1,2,3,4]}]}', LIMITS))).toMatchObject({
      code: 'payload_too_large',
      field: 'events[1].t',
    });
  });

  it('ignores brackets, colons and commas inside strings, escaped quotes included', () => {
    expect(problem(() => parseJsonWithin('{"a":"[[[[[[:,:,:,\\"{{{{{"}', LIMITS))).toBeNull();
  });

  it('refuses keys and values no service can take, naming the field', () => {
    expect(problem(() => parseJsonWithin('{"m":{"__proto__":{"x":1}}}', LIMITS))).toMatchObject({
      code: 'validation_failed',
      field: 'm.__proto__',
    });
    expect(problem(() => parseJsonWithin('{"constructor":{"prototype":{}}}', LIMITS))?.field).toBe('constructor');
    expect(problem(() => parseJsonWithin('{"constructor":"fine"}', LIMITS))).toBeNull();
    expect(problem(() => parseJsonWithin('{"n":[1,"a\\u0000"]}', LIMITS))).toMatchObject({ field: 'n[1]' });
    expect(problem(() => parseJsonWithin('{"n":"\\ud800x"}', LIMITS))?.message).toMatch(/lone surrogate/);
    expect(problem(() => parseJsonWithin('{"n":"\\ud83d\\ude00"}', LIMITS))).toBeNull();
    expect(problem(() => parseJsonWithin('{"k\\u0000":1}', LIMITS))?.message).toMatch(/key/);
    expect(problem(() => parseJsonWithin('{"budget":1e309}', LIMITS))).toMatchObject({
      code: 'validation_failed',
      field: 'budget',
    });
    expect(problem(() => checkJsonValue({ input: { x: Number.NaN } }, LIMITS))?.field).toBe('input.x');
  });

  it('reports malformed text as invalid_json and never throws anything else', () => {
    expect(problem(() => parseJsonWithin('{"query": ', LIMITS))?.code).toBe('invalid_json');
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', '\\', ':', ',', 'a', '1') }), (text) => {
        const found = problem(() => parseJsonWithin(text, LIMITS));
        expect([undefined, 'invalid_json', 'payload_too_large', 'validation_failed']).toContain(found?.code);
      }),
    );
  });

  it('agrees with the walk over the parsed value: the text check only refuses earlier', () => {
    const limits: JsonLimits = { maxDepth: 5, maxKeys: 4, maxTotalKeys: 12, maxArrayLength: 4 };
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), (text) => {
        const unbounded = { maxDepth: 100, maxKeys: 1e6, maxTotalKeys: 1e6, maxArrayLength: 1e6 };
        fc.pre(problem(() => checkJsonValue(JSON.parse(text), unbounded)) === null); // no NUL, no __proto__
        const byText = problem(() => checkJsonText(text, limits))?.code;
        const byValue = problem(() => checkJsonValue(JSON.parse(text), limits))?.code;
        expect(byText === 'payload_too_large').toBe(byValue === 'payload_too_large');
      }),
    );
  });

  it('names the text problems PostgreSQL would refuse', () => {
    expect(textProblem('plain ünïcödé 😀')).toBeNull();
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('a\udc00')).toMatch(/surrogate/);
  });
});
