/**
 * Access to workloads: org SSH keys (fingerprinted with `sshpk`, duplicate → 409, delivered to the
 * workload through the agent), registry credentials (sealed with the kernel's SecretBox, never returned,
 * opened only in the assignments of the node that pulls the image), VM key attachments, and the VM's
 * Telegram link (needs a configured bot, else 503 `telegram_not_configured`).
 */
import { createHmac } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type sshpk from 'sshpk';
import { invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { SecretBox } from '../../kernel/secrets.ts';
import { date, isUniqueViolation, one, type Row, rows } from './sql.ts';
import type { VmService } from './vms.ts';

const sshKeyFromRow = (r: Row) => ({
  id: String(r.id),
  name: String(r.name),
  publicKey: String(r.public_key),
  fingerprint: String(r.fingerprint),
  createdAt: date(r.created_at),
});

const credentialFromRow = (r: Row) => ({
  id: String(r.id),
  name: String(r.name),
  server: String(r.server),
  authType: String(r.auth_type),
  createdAt: date(r.created_at),
});

const AUTH_TYPES = ['basic', 'token'];

function name(value: string, field = 'name'): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw invalidField(field, `${field} must be 1 to 100 characters`);
  return trimmed;
}

export class AccessService {
  private readonly em: EntityManager;
  private readonly vms: VmService;
  private readonly box: SecretBox;
  private readonly telegram: { bot: string | undefined; linkKey: string };

  constructor(
    em: EntityManager,
    vms: VmService,
    box: SecretBox,
    telegram: { bot: string | undefined; linkKey: string },
  ) {
    this.em = em;
    this.vms = vms;
    this.box = box;
    this.telegram = telegram;
  }

  // ---- SSH keys ---------------------------------------------------------------------------

  async listSshKeys(orgId: string) {
    return (
      await rows(this.em, 'select * from ssh_keys where org_id = ? order by created_at desc limit 500', [orgId])
    ).map(sshKeyFromRow);
  }

  async createSshKey(orgId: string, input: { name: string; publicKey: string }) {
    const text = input.publicKey.trim();
    if (text.length > 16_384) throw invalidField('publicKey', 'publicKey is at most 16 KiB');
    // sshpk (~25 modules) is loaded by the first key added, not by every process at start.
    const ssh = (await import('sshpk')).default;
    let key: sshpk.Key;
    try {
      key = ssh.parseKey(text, 'ssh');
    } catch {
      throw invalidField('publicKey', 'publicKey is not an OpenSSH public key (ssh-ed25519 AAAA…, ssh-rsa AAAA…)');
    }
    if (key.type === 'rsa' && key.size < 2048) throw invalidField('publicKey', 'RSA keys must be at least 2048 bits');
    const normalized = key.toString('ssh');
    try {
      const row = await one(
        this.em,
        `insert into ssh_keys (id, org_id, name, public_key, fingerprint, created_at) values (?, ?, ?, ?, ?, now())
         returning *`,
        [newId('ssh'), orgId, name(input.name), normalized, key.fingerprint('sha256').toString()],
      );
      return sshKeyFromRow(row as Row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new TrellisError('already_exists', 'This key is already registered in the organization', {
          field: 'publicKey',
        });
      throw error;
    }
  }

  async deleteSshKey(orgId: string, id: string): Promise<boolean> {
    const row = await one(this.em, 'delete from ssh_keys where id = ? and org_id = ? returning id', [id, orgId]);
    if (!row) throw notFound('SSH key');
    return true;
  }

  /** The keys attached to a VM, and the org's keys it could attach. */
  async vmSshKeys(principal: Principal, vmId: string) {
    const vm = await this.vms.require(principal, vmId);
    const attached = await rows(
      this.em,
      'select k.* from vm_ssh_keys s join ssh_keys k on k.id = s.ssh_key_id where s.vm_id = ? order by k.created_at',
      [vm.id],
    );
    return { attached: attached.map(sshKeyFromRow), available: await this.listSshKeys(vm.orgId) };
  }

  /** Attaches an org key; a running VM's node re-reads its assignments (the agent delivers the key). */
  async attachSshKey(principal: Principal, vmId: string, sshKeyId: string): Promise<boolean> {
    const vm = await this.vms.require(principal, vmId);
    if (vm.status === 'terminated') throw new TrellisError('conflict', 'cannot attach a key to a terminated VM');
    const key = await one(this.em, 'select id from ssh_keys where id = ? and org_id = ?', [sshKeyId, vm.orgId]);
    if (!key) throw new TrellisError('not_found', 'SSH key not found', { field: 'sshKeyId' });
    await this.vms.inTransaction(async (ctx) => {
      await ctx.tx.execute('insert into vm_ssh_keys (vm_id, ssh_key_id) values (?, ?) on conflict do nothing', [
        vm.id,
        sshKeyId,
      ]);
      if (vm.nodeId) {
        await ctx.driver.touch(ctx.tx, vm.nodeId);
        ctx.touched.add(vm.nodeId);
      }
    });
    return true;
  }

  // ---- registry credentials ------------------------------------------------------------------

  async listRegistryCredentials(orgId: string) {
    return (
      await rows(this.em, 'select * from registry_credentials where org_id = ? order by created_at desc limit 500', [
        orgId,
      ])
    ).map(credentialFromRow);
  }

  async createRegistryCredential(
    orgId: string,
    input: { name: string; server: string; authType: string; credentials: unknown },
  ) {
    if (!/^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(\/[A-Za-z0-9._/-]{0,200})?$/.test(input.server))
      throw invalidField('server', 'server is a registry host such as ghcr.io or registry.example.com:5000');
    if (!AUTH_TYPES.includes(input.authType))
      throw invalidField('authType', `authType must be one of ${AUTH_TYPES.join(', ')}`);
    const credentials = input.credentials as Record<string, unknown> | null;
    if (!credentials || typeof credentials !== 'object' || Array.isArray(credentials))
      throw invalidField('credentials', 'credentials is an object');
    const wanted = input.authType === 'basic' ? ['username', 'password'] : ['token'];
    for (const field of wanted)
      if (
        typeof credentials[field] !== 'string' ||
        (credentials[field] as string).length < 1 ||
        (credentials[field] as string).length > 4096
      )
        throw invalidField(
          `credentials.${field}`,
          `credentials.${field} is required (a string of at most 4096 characters)`,
        );
    const extra = Object.keys(credentials).find((k) => !wanted.includes(k));
    if (extra)
      throw invalidField(`credentials.${extra}`, `${input.authType} credentials hold only ${wanted.join(', ')}`);
    const id = newId('rcred');
    const sealed = this.box.seal(JSON.stringify(Object.fromEntries(wanted.map((k) => [k, credentials[k]]))), id);
    const row = await one(
      this.em,
      `insert into registry_credentials (id, org_id, name, server, auth_type, sealed_credentials, created_at)
       values (?, ?, ?, ?, ?, ?, now()) returning *`,
      [id, orgId, name(input.name), input.server, input.authType, sealed],
    );
    return credentialFromRow(row as Row);
  }

  async deleteRegistryCredential(orgId: string, id: string): Promise<boolean> {
    const row = await one(this.em, 'delete from registry_credentials where id = ? and org_id = ? returning id', [
      id,
      orgId,
    ]);
    if (!row) throw notFound('registry credential');
    return true;
  }

  // ---- Telegram ----------------------------------------------------------------------------------

  /** A deep link to the installation's Telegram bot, bound to the VM by an HMAC the bot can check. */
  async telegramLink(principal: Principal, vmId: string) {
    const vm = await this.vms.require(principal, vmId);
    if (!this.telegram.bot) throw new TrellisError('telegram_not_configured');
    const proof = createHmac('sha256', this.telegram.linkKey).update(vm.id).digest('base64url').slice(0, 16);
    return { vmId: vm.id, url: `https://t.me/${this.telegram.bot}?start=${vm.id}_${proof}` };
  }
}
