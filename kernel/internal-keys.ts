/**
 * Keys derived from TRELLIS_INTERNAL_SECRET, one per purpose, with HKDF-SHA256
 * (RFC 5869, node:crypto `hkdfSync`). The secret itself never signs anything:
 * a token made for one purpose (a principal for subgraphs, a principal the
 * REST adapter forwards to the gateway, an event payload envelope) never
 * verifies for another, so capturing one kind cannot forge the others.
 */
import { hkdfSync } from 'node:crypto';

export type InternalKeyPurpose =
  /** Gateway and services → subgraphs (`x-trellis-principal`). */
  | 'principal:subgraph'
  /** Standalone REST adapter → gateway (`x-trellis-principal`, short-lived, bound to the body). */
  | 'principal:gateway'
  /** Gateway → events subgraph payload envelopes (`_eventPayload(envelope:)`). */
  | 'event-payload'
  /** AI gateway → compute: the record of a model call it made (`recordAiCall(signature:)`). */
  | 'ai-call-record'
  /** REST adapter → compute: an asset upload it stored (`registerAsset(signature:)`). */
  | 'asset-record'
  /** AI gateway → compute: a request for an organization's provider credential (`providerCredential(signature:)`). */
  | 'vault-provider-credential'
  /** Compute → the Telegram bot: the proof in a VM's deep link (`?start=<vmId>_<proof>`). */
  | 'telegram-link'
  /** REST adapter → compute: a snapshot archive a node agent uploaded and it stored (`recordSnapshotArchive`). */
  | 'snapshot-archive-record'
  /** Compute → a runner pool's runner: its credential, derived from the runner id (compute/pool-runners.ts). */
  | 'pool-runner-token';

const SALT = 'trellis-internal-keys-v1';
const derived = new Map<string, Buffer>();

/** The 32-byte key for `purpose`, derived once per secret and purpose (the hot path signs per request). */
export function internalKey(secret: string, purpose: InternalKeyPurpose): Buffer {
  const id = `${purpose}\u0000${secret}`;
  let key = derived.get(id);
  if (!key) {
    // A process holds one secret; the bound only matters for test runs that start many platforms.
    if (derived.size >= 64) derived.clear();
    key = Buffer.from(hkdfSync('sha256', secret, SALT, purpose, 32));
    derived.set(id, key);
  }
  return key;
}
