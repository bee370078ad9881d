/**
 * The catalog (seed 003 "Catalog"): GPU models, locations, VM templates and prices in integer cents per
 * GPU-hour per tier, seeded by migration 0002 and changed by platform administrators. Availability is
 * derived live from the free capacity of online nodes, never stored.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { requirePlatformAdmin } from '../../kernel/authz.ts';
import { invalidField, notFound } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/principal.ts';
import { json, num, one, type Row, rows } from './sql.ts';

export const TIERS = ['community', 'secure'] as const;
export type Tier = (typeof TIERS)[number];
export const isTier = (value: string): value is Tier => (TIERS as readonly string[]).includes(value);

const CATALOG_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface GpuPriceView {
  gpuModelId: string;
  gpuModelName: string;
  tier: string;
  pricePerGpuHourCents: number;
  providerPricePerGpuHourCents: number;
}

const modelFromRow = (r: Row) => ({
  id: String(r.id),
  name: String(r.name),
  manufacturer: String(r.manufacturer),
  vramGb: num(r.vram_gb),
});

const templateFromRow = (r: Row) => ({
  id: String(r.id),
  name: String(r.name),
  description: String(r.description),
  imageUrl: (r.image_url as string | null) ?? null,
  containerPort: r.container_port == null ? null : num(r.container_port),
  containerCommand: (r.container_command as string[] | null) ?? null,
  gpuModelId: (r.gpu_model_id as string | null) ?? null,
  gpuCount: num(r.gpu_count),
  diskSizeGb: num(r.disk_size_gb),
  envVars: (r.env_vars as Record<string, string>) ?? {},
});
export type VmTemplateView = ReturnType<typeof templateFromRow>;

const priceFromRow = (r: Row): GpuPriceView => ({
  gpuModelId: String(r.gpu_model_id),
  gpuModelName: String(r.name),
  tier: String(r.tier),
  pricePerGpuHourCents: num(r.cents_per_gpu_hour),
  providerPricePerGpuHourCents: num(r.provider_cents_per_gpu_hour),
});

function boundedText(field: string, value: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > max) throw invalidField(field, `${field} must be 1 to ${max} characters`);
  return trimmed;
}

function catalogId(field: string, value: string): string {
  if (!CATALOG_ID.test(value)) throw invalidField(field, `${field} must be lowercase letters, digits and dashes`);
  return value;
}

function boundedInt(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalidField(field, `${field} must be an integer from ${min} to ${max}`);
  return value;
}

export class CatalogService {
  private readonly em: EntityManager;

  constructor(em: EntityManager) {
    this.em = em;
  }

  async gpuModels() {
    return (await rows(this.em, 'select * from gpu_models order by vram_gb, id')).map(modelFromRow);
  }

  async gpuModel(id: string) {
    const row = await one(this.em, 'select * from gpu_models where id = ?', [id]);
    return row ? modelFromRow(row) : null;
  }

  async locations() {
    return (await rows(this.em, 'select * from locations order by id')).map((r) => ({
      id: String(r.id),
      name: String(r.name),
      country: String(r.country),
    }));
  }

  async vmTemplates() {
    return (await rows(this.em, 'select * from vm_templates order by id')).map(templateFromRow);
  }

  async vmTemplate(id: string): Promise<VmTemplateView | null> {
    const row = await one(this.em, 'select * from vm_templates where id = ?', [id]);
    return row ? templateFromRow(row) : null;
  }

  async pricing() {
    const prices = await rows(
      this.em,
      `select p.*, m.name from gpu_prices p join gpu_models m on m.id = p.gpu_model_id
       order by m.vram_gb, p.gpu_model_id, p.tier`,
    );
    return { currency: 'usd', gpus: prices.map(priceFromRow) };
  }

  /** The list price of one GPU-hour, or null when the model is not sold in this tier. */
  async price(gpuModelId: string, tier: string): Promise<GpuPriceView | null> {
    const row = await one(
      this.em,
      `select p.*, m.name from gpu_prices p join gpu_models m on m.id = p.gpu_model_id
       where p.gpu_model_id = ? and p.tier = ?`,
      [gpuModelId, tier],
    );
    return row ? priceFromRow(row) : null;
  }

  async gpuAvailability() {
    const models = await this.gpuModels();
    const capacity = await rows(
      this.em,
      `select gpu_model_id, region, tier, sum(gpu_total - gpu_used)::int as available, sum(gpu_total)::int as total
       from nodes where status = 'online' group by gpu_model_id, region, tier order by region, tier`,
    );
    return models.map((model) => {
      const regions = capacity
        .filter((c) => c.gpu_model_id === model.id)
        .map((c) => ({
          region: String(c.region),
          tier: String(c.tier),
          availableGpus: num(c.available),
          totalGpus: num(c.total),
        }));
      return {
        gpuModelId: model.id,
        name: model.name,
        availableGpus: regions.reduce((sum, r) => sum + r.availableGpus, 0),
        totalGpus: regions.reduce((sum, r) => sum + r.totalGpus, 0),
        regions,
      };
    });
  }

  // ---- platform administrators -------------------------------------------------------------

  async upsertGpuModel(
    principal: Principal,
    input: { id: string; name: string; manufacturer: string; vramGb: number },
  ) {
    requirePlatformAdmin(principal);
    const row = await one(
      this.em,
      `insert into gpu_models (id, name, manufacturer, vram_gb) values (?, ?, ?, ?)
       on conflict (id) do update set name = excluded.name, manufacturer = excluded.manufacturer,
         vram_gb = excluded.vram_gb, updated_at = now()
       returning *`,
      [
        catalogId('input.id', input.id),
        boundedText('input.name', input.name, 100),
        boundedText('input.manufacturer', input.manufacturer, 60),
        boundedInt('input.vramGb', input.vramGb, 1, 4096),
      ],
    );
    return modelFromRow(row as Row);
  }

  async setGpuPrice(
    principal: Principal,
    input: { gpuModelId: string; tier: string; pricePerGpuHourCents: number; providerPricePerGpuHourCents: number },
  ) {
    requirePlatformAdmin(principal);
    if (!isTier(input.tier)) throw invalidField('input.tier', `tier must be one of ${TIERS.join(', ')}`);
    if (!(await this.gpuModel(input.gpuModelId))) throw notFound('GPU model');
    const list = boundedInt('input.pricePerGpuHourCents', input.pricePerGpuHourCents, 0, 10_000_000);
    const provider = boundedInt('input.providerPricePerGpuHourCents', input.providerPricePerGpuHourCents, 0, list);
    await this.em.execute(
      `insert into gpu_prices (gpu_model_id, tier, cents_per_gpu_hour, provider_cents_per_gpu_hour) values (?, ?, ?, ?)
       on conflict (gpu_model_id, tier) do update set cents_per_gpu_hour = excluded.cents_per_gpu_hour,
         provider_cents_per_gpu_hour = excluded.provider_cents_per_gpu_hour, updated_at = now()`,
      [input.gpuModelId, input.tier, list, provider],
    );
    return (await this.price(input.gpuModelId, input.tier)) as GpuPriceView;
  }

  async upsertLocation(principal: Principal, input: { id: string; name: string; country: string }) {
    requirePlatformAdmin(principal);
    if (!/^[A-Z]{2}$/.test(input.country)) throw invalidField('input.country', 'country must be an ISO 3166 code');
    const row = await one(
      this.em,
      `insert into locations (id, name, country) values (?, ?, ?)
       on conflict (id) do update set name = excluded.name, country = excluded.country returning *`,
      [catalogId('input.id', input.id), boundedText('input.name', input.name, 100), input.country],
    );
    return { id: String(row?.id), name: String(row?.name), country: String(row?.country) };
  }

  async upsertVmTemplate(
    principal: Principal,
    input: {
      id: string;
      name: string;
      description: string;
      imageUrl?: string | null;
      containerPort?: number | null;
      containerCommand?: string[] | null;
      gpuModelId?: string | null;
      gpuCount?: number | null;
      diskSizeGb?: number | null;
      envVars?: unknown;
    },
  ) {
    requirePlatformAdmin(principal);
    if (input.gpuModelId && !(await this.gpuModel(input.gpuModelId)))
      throw invalidField('input.gpuModelId', 'gpuModelId is not in the catalog');
    const row = await one(
      this.em,
      `insert into vm_templates (id, name, description, image_url, container_port, container_command, gpu_model_id,
         gpu_count, disk_size_gb, env_vars) values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb)
       on conflict (id) do update set name = excluded.name, description = excluded.description,
         image_url = excluded.image_url, container_port = excluded.container_port,
         container_command = excluded.container_command, gpu_model_id = excluded.gpu_model_id,
         gpu_count = excluded.gpu_count, disk_size_gb = excluded.disk_size_gb, env_vars = excluded.env_vars
       returning *`,
      [
        catalogId('input.id', input.id),
        boundedText('input.name', input.name, 100),
        boundedText('input.description', input.description, 1000),
        input.imageUrl ? boundedText('input.imageUrl', input.imageUrl, 500) : null,
        input.containerPort == null ? null : boundedInt('input.containerPort', input.containerPort, 1, 65535),
        json(input.containerCommand ?? null),
        input.gpuModelId ?? null,
        boundedInt('input.gpuCount', input.gpuCount ?? 1, 1, 16),
        boundedInt('input.diskSizeGb', input.diskSizeGb ?? 50, 1, 10_000),
        json(input.envVars ?? {}),
      ],
    );
    return templateFromRow(row as Row);
  }
}
