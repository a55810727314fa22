import ipaddr from 'ipaddr.js';
import { InvalidArgumentError } from '../errors/domain-error';

/** IP addresses and CIDRs, parsed strictly: subnets, NIC addresses and security group rules read them alike. */
export type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** A parsed CIDR: its network address (host bits cleared) and prefix length. */
export interface Cidr {
  network: Address;
  prefix: number;
}

const PREFIX = /^(0|[1-9]\d{0,2})$/;

/** Client input quoted in a message, cut short. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

export const version = (address: Address) => (address.kind() === 'ipv4' ? 'IPv4' : 'IPv6');

/**
 * One address, strictly: IPv4 only as four decimal parts (ipaddr.js alone would also read `10.1`,
 * `0x0a.0.0.1`, and `010.0.0.1` as octal 8.0.0.1), IPv6 without a zone (`%eth0`).
 */
export function parseAddress(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes('%') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

/** The address with every bit past the prefix set to `bit`. */
export function withHostBits(address: Address, prefix: number, bit: 0 | 1): Address {
  const bytes = address.toByteArray().map((byte, i) => {
    const networkBits = Math.max(0, Math.min(8, prefix - 8 * i));
    const hostMask = 0xff >> networkBits;
    return bit ? byte | hostMask : byte & ~hostMask & 0xff;
  });
  return ipaddr.fromByteArray(bytes);
}

export function compare(a: Address, b: Address): number {
  const [x, y] = [a.toByteArray(), b.toByteArray()];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

export function contains(cidr: Cidr, address: Address): boolean {
  return address.kind() === cidr.network.kind() && address.match(cidr.network, cidr.prefix);
}

export const formatCidr = (cidr: Cidr) => `${cidr.network.toString()}/${cidr.prefix}`;

/**
 * A CIDR such as `192.168.231.0/24` or `2001:db8::/64`. Host bits are cleared (`192.168.231.1/24`,
 * ChimeStack's own example, is `192.168.231.0/24`): a subnet is its network, whatever address names it.
 */
export function parseCidr(text: string): Cidr {
  const [address, prefix, ...rest] = text.split('/');
  const parsed = parseAddress(address);
  const bits = parsed?.kind() === 'ipv4' ? 32 : 128;
  if (!parsed || rest.length > 0 || prefix === undefined || !PREFIX.test(prefix) || Number(prefix) > bits) {
    throw new InvalidArgumentError(`cidr ${quoted(text)} is not a CIDR such as 192.168.231.0/24 or 2001:db8::/64`);
  }
  return { network: withHostBits(parsed, Number(prefix), 0), prefix: Number(prefix) };
}

/** Whether two CIDRs share an address (never across IP versions). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return contains(a, b.network) || contains(b, a.network);
}

