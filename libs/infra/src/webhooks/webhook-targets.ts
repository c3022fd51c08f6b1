import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may not go (docs/webhooks.md "What a target may be"): addresses inside our own network or the
 * host's, which a registered URL could otherwise reach from the worker (server-side request forgery).
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", the unspecified address
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, with the cloud metadata address 169.254.169.254
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local (ULA), with the AWS metadata address fd00:ec2::254
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 of IPv4 addresses
  ['2001:db8::', 32], // documentation
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}

/** An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is checked as the IPv4 address it is. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const version = isIP(address);
  if (version === 0) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Whether an IP address is one a webhook may not connect to (anything not an IP address counts as forbidden). */
export function isForbiddenAddress(address: string): boolean {
  const normal = normalise(address.replace(/^\[|\]$/g, ''));
  if (normal === null) return true;
  return FORBIDDEN.check(normal.address, normal.family);
}

/**
 * Why a URL cannot be registered as a webhook target, or null. Without `allowPrivate`, only `https://` URLs whose
 * host is a name or a public address; with it (development and tests), `http://` and private addresses too. A
 * name is resolved, and checked again, at every attempt.
 */
export function targetUrlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (url.hash !== '') return 'must not have a fragment';
  if (allowPrivate) return null;
  if (url.protocol !== 'https:') return 'must be an https URL';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && isForbiddenAddress(host)) {
    return 'must not point to a loopback, private, link-local, shared or metadata address';
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point to this host';
  return null;
}
