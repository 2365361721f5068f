import ipaddr from 'ipaddr.js';

/**
 * One spelling per counted address: IPv4 dotted quad (IPv4-mapped IPv6 counts as the IPv4 address),
 * IPv6 as its /64 network in RFC 5952 form (`2001:db8:1:2::`), since one subscriber line usually holds
 * a whole /64. Null for anything that is not an address.
 */
export function clientIpKey(input: string): string | null {
  if (!ipaddr.isValid(input)) return null;
  // ipaddr.js also accepts IPv4 shorthands ("1", "0x7f.1"): only the four-part decimal form is an address.
  if (!input.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(input)) return null;
  let address = ipaddr.parse(input);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    address = (address as ipaddr.IPv6).toIPv4Address();
  }
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  const network = new ipaddr.IPv6([...parts, 0, 0, 0, 0]);
  return network.toRFC5952String();
}

/** Bounds and format only (a request field); clientIpKey decides. */
export const CLIENT_IP_MAX_LENGTH = 45;
