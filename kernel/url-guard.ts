/**
 * The one guard for every outbound URL Trellis calls on a customer's behalf
 * (event webhooks, governance alert channels): a target must be an http(s)
 * URL without credentials whose host resolves only to public unicast
 * addresses. Loopback, private, link-local (cloud metadata at
 * 169.254.169.254), unique-local, carrier-grade NAT, multicast, reserved and
 * the IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4,
 * Teredo) are refused, as are names that mean "this machine or its network"
 * (`localhost`, `*.localhost`, `*.internal`, metadata names, single-label
 * names that a resolver completes with its search domains).
 *
 * Two moments, one set of rules:
 * - creation (`checkOutboundUrl`): the URL's shape, a literal address, and
 *   every address its name resolves to now; a refusal is a 422 on the field;
 * - delivery (`outboundTarget`): the shape and a literal address again, and a
 *   `lookup` for http(s).request that refuses non-public addresses inside the
 *   socket's own DNS resolution, so the connection uses only addresses that
 *   passed the check (a name cannot be rebound between check and connect).
 *
 * TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS=true lifts the address and name rules
 * (tests and development that deliver to loopback); the shape rules stay.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { invalidField } from './errors.ts';

/** Cloud metadata endpoints, refused even when they would classify as public. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '192.0.0.192']);
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data']);
/** Suffixes reserved for a machine's own or private networks (RFC 6761, ICANN's `.internal`). */
const PRIVATE_SUFFIXES = ['.localhost', '.internal', '.local', '.home.arpa'];
/** IPv6 ranges ipaddr.js calls unicast that embed or reach IPv4: IPv4-compatible (::/96), local NAT64. */
const EMBEDDING_RANGES: [ipaddr.IPv6, number][] = [
  [ipaddr.IPv6.parse('::'), 96],
  [ipaddr.IPv6.parse('64:ff9b:1::'), 48],
];
const MAX_URL_LENGTH = 2048;

export class BlockedTargetError extends Error {
  override readonly name = 'BlockedTargetError';
}

/** Why `address` may not be contacted, or undefined when it is a public unicast address. */
export function addressProblem(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const normalized = parsed.toString();
  if (METADATA_ADDRESSES.has(normalized)) return `${normalized} is a cloud metadata address`;
  const range = parsed.range();
  if (range !== 'unicast') return `${normalized} is a ${range} address`;
  if (parsed.kind() === 'ipv6' && EMBEDDING_RANGES.some((r) => (parsed as ipaddr.IPv6).match(r)))
    return `${normalized} embeds an IPv4 address`;
  return undefined;
}

export interface TargetCheckOptions {
  allowPrivate: boolean;
  /** Only https (production default). */
  requireHttps?: boolean;
}

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Why a host name (not an address) may not be contacted: names of this machine or its networks. */
function hostNameProblem(host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || PRIVATE_SUFFIXES.some((suffix) => name.endsWith(suffix)))
    return `${host} names a local or internal host`;
  if (METADATA_HOSTS.has(name)) return `${host} names a metadata host`;
  if (!name.includes('.')) return `${host} is not a fully qualified name`;
  return undefined;
}

/**
 * Checks a URL without any network access: shape, a literal address, a refused name.
 * Returns the parsed URL or the problem.
 */
export function parseTargetUrl(value: string, options: TargetCheckOptions): URL | string {
  if (value.length > MAX_URL_LENGTH) return `url must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must use http or https';
  if (options.requireHttps && url.protocol !== 'https:' && !options.allowPrivate) return 'url must use https';
  if (url.username || url.password) return 'url must not contain credentials';
  if (!url.hostname) return 'url must name a host';
  if (options.allowPrivate) return url;
  const host = hostOf(url);
  const problem = isIP(host) ? addressProblem(host) : hostNameProblem(host);
  return problem ? `url is not an allowed target: ${problem}` : url;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );
}

/**
 * Resolves the URL's host and refuses it unless every address is public
 * (or private targets are allowed). Returns the addresses.
 */
export async function checkTarget(url: URL, options: TargetCheckOptions): Promise<string[]> {
  const host = hostOf(url);
  const addresses = isIP(host) ? [host] : (await resolveAll(host)).map((a) => a.address);
  if (addresses.length === 0) throw new BlockedTargetError(`${host} does not resolve`);
  if (!options.allowPrivate)
    for (const address of addresses) {
      const problem = addressProblem(address);
      if (problem) throw new BlockedTargetError(`${host} resolves to a refused address: ${problem}`);
    }
  return addresses;
}

/**
 * At creation: the URL as it will be stored, or a 422 `validation_failed` on `field`
 * (the client's name for it: `input.url`, `input.target`).
 */
export async function checkOutboundUrl(value: string, field: string, options: TargetCheckOptions): Promise<string> {
  const parsed = parseTargetUrl(value.trim(), options);
  if (typeof parsed === 'string') throw invalidField(field, parsed);
  try {
    await checkTarget(parsed, options);
  } catch (error) {
    const reason = error instanceof BlockedTargetError ? error.message : `${parsed.hostname} does not resolve`;
    throw invalidField(field, `url is not an allowed target: ${reason}`);
  }
  return parsed.toString();
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request that resolves, then refuses any non-public
 * address: the connection can only use addresses that passed the check.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number } | number, callback: LookupCallback): void => {
    const all = typeof options === 'object' && options.all === true;
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, all ? [] : '', undefined);
      const refused = allowPrivate
        ? undefined
        : addresses.map((a) => addressProblem(a.address)).find((p) => p !== undefined);
      if (refused || addresses.length === 0) {
        const error = new BlockedTargetError(
          `${hostname} resolves to a refused address: ${refused ?? 'no address'}`,
        ) as NodeJS.ErrnoException;
        error.code = 'EBLOCKED';
        return callback(error, all ? [] : '', undefined);
      }
      if (all) return callback(null, addresses);
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

export type OutboundTarget = { url: URL; lookup: ReturnType<typeof guardedLookup> } | { problem: string };

/**
 * At delivery: the URL to request and the pinned `lookup` to request it with, or why it is
 * refused. Stored URLs are checked again (they may predate a rule); http(s).request does not
 * call `lookup` for a literal address, so those are checked here.
 */
export function outboundTarget(value: string, allowPrivate: boolean): OutboundTarget {
  const parsed = parseTargetUrl(value, { allowPrivate });
  if (typeof parsed === 'string') return { problem: parsed };
  return { url: parsed, lookup: guardedLookup(allowPrivate) };
}
