/**
 * Providers and the model catalog, from TRELLIS_AI_PROVIDERS: which upstream serves a model and
 * what it costs (micro-dollars per million input / output tokens). `openai` and `anthropic`
 * providers without `models` get the built-in catalog below; `openai_compatible` ones list theirs.
 * Nothing is invented: no configured provider means an empty list and 503 `provider_unavailable`.
 */
import type { AiModelConfig, AiProviderConfig, Config } from '../kernel/config.ts';
import { TrellisError } from '../kernel/errors.ts';

export type Capability = 'chat' | 'tools' | 'vision' | 'streaming' | 'responses';

export interface CatalogModel {
  id: string;
  inputMicrosPerMillion: number;
  outputMicrosPerMillion: number;
  contextWindow: number | null;
  maxOutputTokens: number | null;
  capabilities: Capability[];
}

export interface Provider {
  id: string;
  kind: AiProviderConfig['kind'];
  baseUrl: string | undefined;
  apiKey: string | undefined;
  /** A vault credential name: the calling organization's value, when it has one, is the API key. */
  credential: string | undefined;
  fallback: string | undefined;
  models: Map<string, CatalogModel>;
}

const ALL: Capability[] = ['chat', 'tools', 'vision', 'streaming', 'responses'];
const CHAT: Capability[] = ['chat', 'tools', 'vision', 'streaming'];
/** Anthropic serves the Responses API through Trellis's translation (upstream.ts). */
const ANTHROPIC: Capability[] = [...CHAT, 'responses'];

/** List prices (USD per million tokens × 1,000,000) of the providers' current models, as published. */
const BUILT_IN: Record<'openai' | 'anthropic', AiModelConfig[]> = {
  openai: [
    { id: 'gpt-4o', inputMicrosPerMillion: 2_500_000, outputMicrosPerMillion: 10_000_000, contextWindow: 128_000 },
    { id: 'gpt-4o-mini', inputMicrosPerMillion: 150_000, outputMicrosPerMillion: 600_000, contextWindow: 128_000 },
    { id: 'gpt-4.1', inputMicrosPerMillion: 2_000_000, outputMicrosPerMillion: 8_000_000, contextWindow: 1_047_576 },
    { id: 'gpt-4.1-mini', inputMicrosPerMillion: 400_000, outputMicrosPerMillion: 1_600_000, contextWindow: 1_047_576 },
    { id: 'o4-mini', inputMicrosPerMillion: 1_100_000, outputMicrosPerMillion: 4_400_000, contextWindow: 200_000 },
  ].map((m) => ({ ...m, capabilities: ALL })),
  anthropic: [
    { id: 'claude-3-5-haiku-latest', inputMicrosPerMillion: 800_000, outputMicrosPerMillion: 4_000_000 },
    { id: 'claude-sonnet-4-0', inputMicrosPerMillion: 3_000_000, outputMicrosPerMillion: 15_000_000 },
    { id: 'claude-opus-4-0', inputMicrosPerMillion: 15_000_000, outputMicrosPerMillion: 75_000_000 },
  ].map((m) => ({ ...m, contextWindow: 200_000, maxOutputTokens: 8192, capabilities: ANTHROPIC })),
};

function catalogModel(model: AiModelConfig, kind: Provider['kind']): CatalogModel {
  return {
    id: model.id,
    inputMicrosPerMillion: model.inputMicrosPerMillion,
    outputMicrosPerMillion: model.outputMicrosPerMillion,
    contextWindow: model.contextWindow ?? null,
    maxOutputTokens: model.maxOutputTokens ?? null,
    capabilities: (model.capabilities as Capability[] | undefined) ?? (kind === 'anthropic' ? ANTHROPIC : ALL),
  };
}

export class ProviderRegistry {
  readonly providers: Provider[];

  constructor(configs: readonly AiProviderConfig[]) {
    this.providers = configs.map((config) => {
      const models = config.models ?? (config.kind === 'openai_compatible' ? [] : BUILT_IN[config.kind]);
      return {
        id: config.id,
        kind: config.kind,
        baseUrl: config.baseUrl,
        apiKey: config.apiKey,
        credential: config.credential,
        fallback: config.fallback,
        models: new Map(models.map((m) => [m.id, catalogModel(m, config.kind)])),
      };
    });
  }

  byId(id: string): Provider | undefined {
    return this.providers.find((p) => p.id === id);
  }

  /**
   * The provider and catalog entry for `model`: `provider/model` or a `provider` hint picks the
   * provider, otherwise the first configured provider that lists the model.
   */
  resolve(requested: string, providerHint?: string | null): { provider: Provider; model: CatalogModel } {
    if (this.providers.length === 0)
      throw new TrellisError('provider_unavailable', 'No model provider is configured (TRELLIS_AI_PROVIDERS)');
    let hint = providerHint ?? undefined;
    let modelId = requested;
    const slash = requested.indexOf('/');
    if (!hint && slash > 0 && this.byId(requested.slice(0, slash))) {
      hint = requested.slice(0, slash);
      modelId = requested.slice(slash + 1);
    }
    const candidates = hint ? [this.byId(hint)].filter((p): p is Provider => !!p) : this.providers;
    if (hint && candidates.length === 0)
      throw new TrellisError('validation_failed', `Unknown provider "${hint}"`, { field: 'provider' });
    for (const provider of candidates) {
      const model = provider.models.get(modelId);
      if (model) return { provider, model };
    }
    throw new TrellisError('model_not_found', `The model "${requested}" is not served by any configured provider`, {
      field: 'model',
    });
  }

  /** What `/v1/providers` shows: ids, kinds, models with prices and capabilities — never credentials or hosts. */
  describe() {
    return this.providers.map((p) => ({
      id: p.id,
      kind: p.kind,
      fallback: p.fallback ?? null,
      models: [...p.models.values()],
    }));
  }
}

const registries = new WeakMap<Config, ProviderRegistry>();

/** One registry per process configuration. */
export function registryOf(config: Config): ProviderRegistry {
  let registry = registries.get(config);
  if (!registry) {
    registry = new ProviderRegistry(config.ai.providers);
    registries.set(config, registry);
  }
  return registry;
}

/** round-up(inputTokens × input price + outputTokens × output price) / 1,000,000 — integers only. */
export function costMicros(model: CatalogModel, inputTokens: number, outputTokens: number): number {
  const total =
    BigInt(inputTokens) * BigInt(model.inputMicrosPerMillion) +
    BigInt(outputTokens) * BigInt(model.outputMicrosPerMillion);
  return Number((total + 999_999n) / 1_000_000n);
}
