/** Validation of seed 003's VM create body: each rejected value is a 422 naming its field. */
import { invalidField } from '../../kernel/errors.ts';

export interface HealthCheckInput {
  path?: string | null;
  port?: number | null;
  intervalSeconds?: number | null;
}

export interface CreateVmInput {
  name: string;
  resourceSize?: string | null;
  tier?: string | null;
  gpuModelId?: string | null;
  gpuCount?: number | null;
  imageUrl?: string | null;
  containerPort?: number | null;
  preferredRegions?: string[] | null;
  allowFallback?: boolean | null;
  envVars?: unknown;
  registryCredentialId?: string | null;
  healthChecks?: HealthCheckInput[] | null;
  healthCheckPath?: string | null;
  healthCheckPort?: number | null;
  diskSizeGb?: number | null;
  containerCommand?: string[] | null;
  privileged?: boolean | null;
  kernelModules?: string[] | null;
  templateId?: string | null;
  sshKeyIds?: string[] | null;
  public?: boolean | null;
}

const f = (field: string) => `input.${field}`;

export function vmName(value: string, field = 'name'): string {
  const name = value.trim();
  if (name.length < 1 || name.length > 100) throw invalidField(f(field), `${field} must be 1 to 100 characters`);
  if ([...name].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127))
    throw invalidField(f(field), `${field} must not contain control characters`);
  return name;
}

export function intIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalidField(f(field), `${field} must be an integer from ${min} to ${max}`);
  return value;
}

export function imageUrl(value: string): string {
  if (value.length < 1 || value.length > 500 || /\s/.test(value))
    throw invalidField(f('imageUrl'), 'imageUrl must be an image reference without spaces (at most 500 characters)');
  return value;
}

export function envVars(value: unknown): Record<string, string> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidField(f('envVars'), 'envVars must be an object of string values');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 100) throw invalidField(f('envVars'), 'envVars may hold at most 100 variables');
  let total = 0;
  for (const [key, v] of entries) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(key))
      throw invalidField(
        `${f('envVars')}.${key}`,
        'variable names are letters, digits and _ (not starting with a digit)',
      );
    if (typeof v !== 'string') throw invalidField(`${f('envVars')}.${key}`, 'variable values must be strings');
    total += v.length;
  }
  if (total > 65_536) throw invalidField(f('envVars'), 'envVars values may hold at most 64 KiB in all');
  return value as Record<string, string>;
}

export function containerCommand(value: string[]): string[] {
  if (value.length < 1 || value.length > 64)
    throw invalidField(f('containerCommand'), 'containerCommand must have 1 to 64 arguments');
  value.forEach((arg, i) => {
    if (arg.length > 4096)
      throw invalidField(`${f('containerCommand')}.${i}`, 'an argument is at most 4096 characters');
  });
  return value;
}

export function healthPath(value: string, field: string): string {
  if (!/^\/[\x21-\x7e]{0,199}$/.test(value)) throw invalidField(f(field), `${field} must be a path starting with /`);
  return value;
}

export function kernelModules(value: string[]): string[] {
  if (value.length > 16) throw invalidField(f('kernelModules'), 'kernelModules may name at most 16 modules');
  value.forEach((name, i) => {
    if (!/^[a-z0-9_-]{1,64}$/.test(name))
      throw invalidField(`${f('kernelModules')}.${i}`, 'a module name is lowercase letters, digits, _ and -');
  });
  return value;
}

export function idList(field: string, value: string[], max: number): string[] {
  if (value.length > max) throw invalidField(f(field), `${field} may name at most ${max}`);
  value.forEach((id, i) => {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw invalidField(`${f(field)}.${i}`, 'not a valid id');
  });
  return [...new Set(value)];
}

export function resourceSize(value: string): string {
  if (!/^[a-z0-9-]{1,32}$/.test(value))
    throw invalidField(f('resourceSize'), 'resourceSize is lowercase letters, digits and dashes');
  return value;
}
