import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Resolver = (hostname: string, family: number) => Promise<LookupAddress[]>;

export interface OutboundGuardOptions {
  /** Local mode: fake providers and local gateways listen on 127.0.0.1. */
  allowLoopback: boolean;
  /** CIDRs reachable whatever their range (a VPC endpoint, a corporate proxy). */
  allowCidrs: readonly string[];
  /** Tests: resolve names without DNS. */
  resolve?: Resolver;
}

/** A destination the guard refused; the send attempt fails as `rejected`, not as an outage. */
export class OutboundRefused extends Error {
  readonly code = 'EOUTBOUNDREFUSED';
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** Throws on a malformed entry, naming it, so a bad allow-list fails at start-up, not at send time. */
export function parseCidrs(text: string | undefined): string[] {
  const entries = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    try {
      ipaddr.parseCIDR(entry);
    } catch {
      throw new Error(`outbound allow-list entry ${JSON.stringify(entry)} is not a CIDR (e.g. 10.1.0.0/16)`);
    }
  }
  return entries;
}

/** The IPv4 address an IPv6 address carries (IPv4-mapped, -translated, -compatible, NAT64, 6to4), if any. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts;
  const last32 = () =>
    ipaddr.IPv4.parse(`${parts[6]! >> 8}.${parts[6]! & 255}.${parts[7]! >> 8}.${parts[7]! & 255}`);
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return last32();
    case 'rfc6052':
      // 64:ff9b::/96 carries the address in its last 32 bits; the local-use 64:ff9b:1::/48 is internal anyway.
      return parts[2] === 0 ? last32() : ipaddr.IPv4.parse('0.0.0.0');
    case '6to4':
      return ipaddr.IPv4.parse(`${parts[1]! >> 8}.${parts[1]! & 255}.${parts[2]! >> 8}.${parts[2]! & 255}`);
    default:
      // ::a.b.c.d (IPv4-compatible, deprecated) is judged by its IPv4 address too; ::1 and :: are their own.
      return parts.slice(0, 6).every((p) => p === 0) && address.range() === 'unicast' ? last32() : undefined;
  }
}

/**
 * The outbound address rules of api.md ("Outbound addresses"): a destination is refused when it is
 * `localhost` or an address in a loopback, private, link-local, CGNAT, multicast, reserved or
 * unspecified range, IPv6 addresses that embed an IPv4 address being judged by it. Only global
 * unicast passes (plus the allow-list, and loopback in local mode). Host names are judged at connect
 * time, on every address they resolve to, and the connection uses the address that was judged.
 */
export class OutboundGuard {
  private readonly allow: Array<[Address, number]>;
  private readonly resolve: Resolver;

  constructor(private readonly options: OutboundGuardOptions) {
    this.allow = options.allowCidrs.map((cidr) => ipaddr.parseCIDR(cidr));
    this.resolve =
      options.resolve ??
      ((hostname, family) =>
        new Promise((ok, fail) =>
          dnsLookup(hostname, { all: true, family }, (error, addresses) =>
            error ? fail(error) : ok(addresses),
          ),
        ));
  }

  /** Why an IP address may not be connected to, or undefined when it may. */
  addressProblem(text: string): string | undefined {
    let address: Address;
    try {
      address = ipaddr.parse(text);
    } catch {
      return 'is not an IP address';
    }
    if (this.allowed(address)) return undefined;
    if (address.kind() === 'ipv6') {
      const v6 = address as ipaddr.IPv6;
      const v4 = embeddedIPv4(v6);
      if (v4) return this.v4Problem(v4, text);
      const range = v6.range();
      if (range === 'loopback' && this.options.allowLoopback) return undefined;
      if (range !== 'unicast' || !v6.match(GLOBAL_UNICAST_V6))
        return `is in a ${range === 'unicast' ? 'reserved' : range} range (${text})`;
      return undefined;
    }
    return this.v4Problem(address as ipaddr.IPv4, text);
  }

  /**
   * Validation of a URL's host or a proxy host, as WHATWG URL parsing reads it (so `0x7f.1` is
   * 127.0.0.1). IP literals are judged now; other names when they are resolved at connect time.
   */
  hostProblem(host: string): string | undefined {
    const hostname = normalizedHost(host);
    if (hostname === undefined) return 'is not a valid host name';
    if (hostname === 'localhost' || hostname.endsWith('.localhost'))
      return this.options.allowLoopback ? undefined : 'must not be localhost';
    const literal = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    return ipaddr.isValid(literal) ? this.addressProblem(literal) : undefined;
  }

  /** A `dns.lookup`-compatible function for net/tls connect: every answer is judged, then used as is. */
  readonly lookup = (
    hostname: string,
    options: { family?: number | string; all?: boolean },
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const family =
      options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : Number(options.family ?? 0);
    this.resolve(hostname, family).then(
      (addresses) => {
        const refused = addresses
          .map((a) => ({ address: a.address, problem: this.addressProblem(a.address) }))
          .find((a) => a.problem);
        if (refused) {
          callback(new OutboundRefused(`${hostname} resolves to an address that ${refused.problem}`), '');
        } else if (addresses.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
        } else if (options.all) {
          callback(null, addresses);
        } else {
          callback(null, addresses[0]!.address, addresses[0]!.family);
        }
      },
      (error: Error) => callback(error, ''),
    );
  };

  /** Connect-time check of a host that is an IP literal (net.connect does not look those up). */
  assertConnectable(host: string): void {
    const problem = this.hostProblem(host);
    if (problem) throw new OutboundRefused(`the destination ${host} ${problem}`);
  }

  private allowed(address: Address): boolean {
    return this.allow.some(([range, bits]) => address.kind() === range.kind() && address.match(range, bits));
  }

  private v4Problem(address: ipaddr.IPv4, text: string): string | undefined {
    if (this.allowed(address)) return undefined;
    const range = address.range();
    if (range === 'unicast') return undefined;
    if (range === 'loopback' && this.options.allowLoopback) return undefined;
    return `is in a ${range} range (${text})`;
  }
}

/** The host as a WHATWG URL reads it (lower case, IPv4 shorthands expanded, IPv6 bracketed), or undefined. */
export function normalizedHost(host: string): string | undefined {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  try {
    const url = new URL(`http://${bracketed}`);
    return url.port || url.pathname !== '/' || url.username ? undefined : url.hostname;
  } catch {
    return undefined;
  }
}
