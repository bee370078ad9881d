/**
 * SSRF guard for webhook targets. A target must resolve only to public
 * unicast addresses: loopback, private, link-local (cloud metadata at
 * 169.254.169.254), unique-local, carrier-grade NAT, multicast, reserved and
 * the IPv6 transition ranges that can embed those are refused — at creation
 * and again at every delivery, on the addresses the connection actually uses
 * (the check runs inside the socket's DNS lookup, so a name cannot be rebound
 * between check and connect). TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS=true
 * lifts the address check (development and tests that deliver to loopback).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Cloud metadata endpoints, refused even when they would classify as public. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '192.0.0.192']);
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

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
  return undefined;
}

export interface TargetCheckOptions {
  allowPrivate: boolean;
  /** Only https (production default). */
  requireHttps?: boolean;
}

/** Validates a webhook URL's shape; returns the parsed URL or a problem. */
export function parseTargetUrl(value: string, options: TargetCheckOptions): URL | string {
  if (value.length > 2048) return 'url must be at most 2048 characters';
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
  if (!options.allowPrivate && METADATA_HOSTS.has(url.hostname.toLowerCase())) return 'url names a metadata host';
  return url;
}

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
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
