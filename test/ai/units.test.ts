/** The AI gateway's pure parts: provider registry and prices, estimates, Anthropic translation, config, signatures. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { estimateInputTokens } from '../../ai-gateway/calls.ts';
import { costMicros, ProviderRegistry } from '../../ai-gateway/catalog.ts';
import { fromAnthropicMessage, toAnthropicRequest, upstreamError, usageOf } from '../../ai-gateway/upstream.ts';
import { signAiCallRecord, verifyAiCallRecord } from '../../kernel/ai-call-record.ts';
import { ConfigError, loadConfig } from '../../kernel/config.ts';
import { TrellisError } from '../../kernel/errors.ts';
import { internalKey } from '../../kernel/internal-keys.ts';

const local = {
  id: 'local',
  kind: 'openai_compatible' as const,
  baseUrl: 'http://127.0.0.1:9/v1',
  models: [{ id: 'llama', inputMicrosPerMillion: 100_000, outputMicrosPerMillion: 300_000 }],
};

describe('provider registry', () => {
  it('is empty without providers, and every call is 503 provider_unavailable', () => {
    const registry = new ProviderRegistry([]);
    expect(registry.describe()).toEqual([]);
    expect(() => registry.resolve('gpt-4o')).toThrow(expect.objectContaining({ code: 'provider_unavailable' }));
  });

  it('resolves by model, by provider/model and by hint; unknown models are model_not_found', () => {
    const registry = new ProviderRegistry([{ id: 'openai', kind: 'openai', apiKey: 'sk-test' }, local]);
    expect(registry.resolve('gpt-4o-mini').provider.id).toBe('openai');
    expect(registry.resolve('local/llama').model.id).toBe('llama');
    expect(registry.resolve('llama', 'local').provider.id).toBe('local');
    expect(() => registry.resolve('gpt-4o', 'local')).toThrow(expect.objectContaining({ code: 'model_not_found' }));
    expect(() => registry.resolve('x', 'nope')).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    // Built-in catalogs carry published prices; credentials and hosts never show.
    const described = JSON.stringify(registry.describe());
    expect(described).toContain('"gpt-4o"');
    expect(described).not.toContain('sk-test');
    expect(described).not.toContain('127.0.0.1');
  });

  it('prices in integer micro-dollars, rounding up', () => {
    const model = new ProviderRegistry([local]).resolve('llama').model;
    expect(costMicros(model, 1_000_000, 0)).toBe(100_000);
    expect(costMicros(model, 1, 1)).toBe(1); // 0.4 micro-dollars → 1
    expect(costMicros(model, 0, 0)).toBe(0);
    expect(costMicros({ ...model, outputMicrosPerMillion: 1_000_000_000_000 }, 0, 10_000_000)).toBe(10_000_000_000_000);
  });

  it('estimates input tokens from the text read (about 4 bytes per token, plus framing per message)', () => {
    expect(estimateInputTokens([[{ role: 'user', content: 'x'.repeat(400) }]])).toBe(100 + 1 + 4 + 3);
    expect(estimateInputTokens([])).toBe(3);
  });
});

describe('Anthropic translation', () => {
  it('turns an OpenAI chat request with tools into a Messages request', () => {
    const request = toAnthropicRequest(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        ],
        tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }],
        temperature: 1.5,
      },
      'claude-sonnet-4-0',
      256,
    );
    expect(request).toEqual({
      model: 'claude-sonnet-4-0',
      max_tokens: 256,
      system: 'Be brief.',
      temperature: 1,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '18°C' }] },
      ],
      tools: [{ name: 'weather', description: undefined, input_schema: { type: 'object' } }],
    });
  });

  it('turns a Messages answer into an OpenAI completion with tool calls and usage', () => {
    const completion = fromAnthropicMessage(
      {
        id: 'msg_1',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
        ],
        stop_reason: 'tool_use',
        usage: { input_tokens: 20, output_tokens: 7 },
      },
      'claude-sonnet-4-0',
    );
    expect(completion).toMatchObject({
      object: 'chat.completion',
      choices: [
        {
          message: {
            content: 'Checking.',
            tool_calls: [
              { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 20, completion_tokens: 7, total_tokens: 27 },
    });
    expect(usageOf(completion.usage)).toEqual({ inputTokens: 20, outputTokens: 7 });
  });

  it('maps upstream failures to registry codes, never showing upstream credentials', () => {
    const failure = (status: number) => Object.assign(new Error('boom'), { status });
    expect(upstreamError(failure(401), 'p')).toMatchObject({ code: 'bad_gateway', fallbackAllowed: true });
    expect(upstreamError(failure(429), 'p')).toMatchObject({ code: 'rate_limited', fallbackAllowed: true });
    expect(upstreamError(failure(503), 'p')).toMatchObject({ code: 'bad_gateway', fallbackAllowed: true });
    expect(upstreamError(failure(400), 'p')).toMatchObject({ code: 'invalid_request', fallbackAllowed: false });
    expect(upstreamError(new TypeError('fetch failed'), 'p')).toMatchObject({ code: 'provider_unavailable' });
    expect(upstreamError(new TrellisError('conflict'), 'p').code).toBe('conflict');
  });
});

describe('configuration and call records', () => {
  it('validates TRELLIS_AI_PROVIDERS without echoing credentials', () => {
    const load = (value: string) => () => loadConfig({ TRELLIS_AI_PROVIDERS: value }, { allInOne: true });
    expect(load('not json')).toThrow(ConfigError);
    expect(load(JSON.stringify([{ id: 'x', kind: 'openai_compatible', apiKey: 'sk-secret' }]))).toThrow(
      /openai_compatible needs baseUrl and models/,
    );
    try {
      load(JSON.stringify([{ id: 'x', kind: 'nope', apiKey: 'sk-secret' }]))();
    } catch (error) {
      expect(String(error)).not.toContain('sk-secret');
    }
    expect(load(JSON.stringify([{ ...local, fallback: 'local' }]))).toThrow(/fallback must name another provider/);
    const config = loadConfig({ TRELLIS_AI_PROVIDERS: JSON.stringify([local]) }, { allInOne: true });
    expect(config.ai.providers[0]?.id).toBe('local');
    expect(loadConfig({}, { allInOne: true }).ai.providers).toEqual([]);
  });

  it('signs call records so only a Trellis process can write one', () => {
    const record = { callId: 'aic_1', orgId: 'org_1', costMicros: 24, log: null, nested: { b: 1, a: [2] } };
    const signature = signAiCallRecord('secret', record);
    expect(
      verifyAiCallRecord(
        'secret',
        { nested: { a: [2], b: 1 }, costMicros: 24, orgId: 'org_1', callId: 'aic_1' },
        signature,
      ),
    ).toBe(true);
    expect(verifyAiCallRecord('secret', { ...record, costMicros: 25 }, signature)).toBe(false);
    expect(verifyAiCallRecord('other', record, signature)).toBe(false);
  });

  it('signs the canonical JSON of a record byte for byte (processes of two versions must agree)', () => {
    const record = {
      z: 'é"\\',
      a: [3, null, { y: 1, x: undefined, w: [] }],
      m: { d: false, c: 0, e: null },
      n: 1.5,
      empty: {},
    };
    const canonical = '{"a":[3,null,{"w":[],"y":1}],"empty":{},"m":{"c":0,"d":false},"n":1.5,"z":"é\\"\\\\"}';
    const key = internalKey('secret', 'ai-call-record');
    expect(signAiCallRecord('secret', record)).toBe(createHmac('sha256', key).update(canonical).digest('hex'));
  });
});
