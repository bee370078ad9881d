/**
 * Vault secrets referenced by name in a node (docs/pipelines.md §Secrets): `{{ secrets.NAME }}` in an http
 * node's `headers` or `body` — what is sent, never what is stored. A definition naming a secret the vault does
 * not hold is a 422; at execution the node opens only the secrets it names, through the vault's
 * `openForExecution` (audited as `credential.accessed`), renders its request with them and forgets them: they
 * never enter the run's scope, its rows, its events or its logs.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField } from '../../../../kernel/errors.ts';
import type { SecretBox } from '../../../../kernel/secrets.ts';
import { missingCredentials, VaultService } from '../../vault/vault.ts';
import type { PipelineNode } from '../definition.ts';
import { parsePath, type Scope, templatePaths } from '../expressions.ts';

export const SECRETS_ROOT = 'secrets';

/** The node fields a secret may appear in: the outbound request's, which no row or event keeps. */
export const secretFields = (node: PipelineNode): unknown[] => (node.type === 'http' ? [node.headers, node.body] : []);

/** `secrets.github.token` → `github.token`; null for a path that does not read a secret. */
export function secretNameOf(path: string): string | null {
  const segments = parsePath(path);
  if (segments[0] !== SECRETS_ROOT) return null;
  if (segments.length < 2 || segments.some((s) => typeof s === 'number'))
    throw new Error(`"${path}" must name a secret (like secrets.DEPLOY_TOKEN)`);
  return path.slice(SECRETS_ROOT.length + 1);
}

/** The secret names a node sends (deduplicated). */
export function secretNames(node: PipelineNode): string[] {
  const names = new Set<string>();
  for (const path of templatePaths(secretFields(node))) {
    const name = secretNameOf(path);
    if (name) names.add(name);
  }
  return [...names];
}

/** 422 naming the node when a definition sends a secret the organization's vault does not hold. */
export async function checkSecretsExist(em: EntityManager, orgId: string, nodes: PipelineNode[]): Promise<void> {
  const wanted = nodes.flatMap((node, index) => secretNames(node).map((name) => ({ node, index, name })));
  if (wanted.length === 0) return;
  const absent = new Set(await missingCredentials(em, orgId, [...new Set(wanted.map((w) => w.name))]));
  const missing = wanted.find((w) => absent.has(w.name));
  if (missing)
    throw invalidField(
      `nodes[${missing.index}].headers`,
      `nodes[${missing.index}] (${missing.node.id}): unknown secret "${missing.name}" (store it with POST /v1/orgs/{orgId}/credentials)`,
    );
}

/** Opens a node's secrets for one execution: the `secrets` part of the scope its request is rendered with. */
export type SecretOpener = (run: { id: string; orgId: string }, node: PipelineNode) => Promise<Scope>;

export function vaultSecretOpener(em: () => EntityManager, box: SecretBox, internalSecret: string): SecretOpener {
  return async (run, node) => {
    const names = secretNames(node);
    const secrets: Scope = {};
    if (names.length === 0) return secrets;
    const vault = new VaultService(em(), box, internalSecret);
    for (const name of names) {
      const value = await vault
        .openForExecution({
          orgId: run.orgId,
          key: name,
          purpose: 'workflow_run',
          subject: { type: 'workflow_run', id: `${run.id}/${node.id}` },
        })
        .catch((error: Error) => {
          throw new Error(
            (error as { code?: string }).code === 'not_found'
              ? `secret "${name}" is not in the organization's vault any more`
              : `secret "${name}" could not be opened`,
          );
        });
      place(secrets, name.split('.'), value, name);
    }
    return secrets;
  };
}

/** `github.token` → `{ github: { token } }`, so `{{ secrets.github.token }}` reads it as a path. */
function place(into: Scope, segments: string[], value: string, name: string): void {
  let at = into;
  for (const [i, segment] of segments.entries()) {
    if (i === segments.length - 1) {
      if (Object.hasOwn(at, segment)) throw new Error(`secret "${name}" clashes with another secret's name`);
      at[segment] = value;
      return;
    }
    const next = at[segment];
    if (next === undefined) at[segment] = {};
    else if (typeof next !== 'object') throw new Error(`secret "${name}" clashes with another secret's name`);
    at = at[segment] as Scope;
  }
}
