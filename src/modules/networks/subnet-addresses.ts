import ipaddr from 'ipaddr.js';
import { AlreadyExistsError, InvalidArgumentError } from '../../platform/errors/domain-error';
import { SubnetType } from './network.contract';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** A parsed CIDR: its network address (host bits cleared) and prefix length. */
export interface Cidr {
  network: Address;
  prefix: number;
}

/** A subnet's addresses, checked together and written canonically. */
export interface SubnetAddressing {
  cidr: string;
  gateway: string;
  reserved_ips: string;
  type: SubnetType;
}

const PREFIX = /^(0|[1-9]\d{0,2})$/;

/** Client input quoted in a message, cut short. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

const version = (address: Address) => (address.kind() === 'ipv4' ? 'IPv4' : 'IPv6');

/**
 * One address, strictly: IPv4 only as four decimal parts (ipaddr.js alone would also read `10.1`,
 * `0x0a.0.0.1`, and `010.0.0.1` as octal 8.0.0.1), IPv6 without a zone (`%eth0`).
 */
function parseAddress(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes('%') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

/** The address with every bit past the prefix set to `bit`. */
function withHostBits(address: Address, prefix: number, bit: 0 | 1): Address {
  const bytes = address.toByteArray().map((byte, i) => {
    const networkBits = Math.max(0, Math.min(8, prefix - 8 * i));
    const hostMask = 0xff >> networkBits;
    return bit ? byte | hostMask : byte & ~hostMask & 0xff;
  });
  return ipaddr.fromByteArray(bytes);
}

function compare(a: Address, b: Address): number {
  const [x, y] = [a.toByteArray(), b.toByteArray()];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function contains(cidr: Cidr, address: Address): boolean {
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

/** An address of the subnet: parsed, of the CIDR's IP version, inside it; else a 400 naming `field`. */
function addressIn(cidr: Cidr, text: string, field: string): Address {
  const address = parseAddress(text);
  if (!address) throw new InvalidArgumentError(`${field} ${quoted(text)} is not an IP address`);
  if (address.kind() !== cidr.network.kind()) {
    throw new InvalidArgumentError(`${field} ${text} is an ${version(address)} address, the cidr is ${version(cidr.network)}`);
  }
  if (!contains(cidr, address)) throw new InvalidArgumentError(`${field} ${text} is outside the cidr ${formatCidr(cidr)}`);
  return address;
}

/**
 * The gateway: inside the CIDR and, in an IPv4 subnet of 4 addresses or more, neither its network
 * nor its broadcast address (in /31 and /32 every address is a host's, RFC 3021). `''`: none.
 */
function checkGateway(cidr: Cidr, text: string): string {
  if (text === '') return '';
  const gateway = addressIn(cidr, text, 'gateway');
  if (gateway.kind() === 'ipv4' && cidr.prefix <= 30) {
    if (compare(gateway, cidr.network) === 0) {
      throw new InvalidArgumentError(`gateway ${text} is the network address of ${formatCidr(cidr)}`);
    }
    if (compare(gateway, withHostBits(cidr.network, cidr.prefix, 1)) === 0) {
      throw new InvalidArgumentError(`gateway ${text} is the broadcast address of ${formatCidr(cidr)}`);
    }
  }
  return gateway.toString();
}

/**
 * Reserved addresses: comma-separated addresses and `first-last` ranges (blanks around entries are
 * dropped), all inside the CIDR; a range may not run backwards. `''`: none.
 */
function checkReservedIps(cidr: Cidr, text: string): string {
  if (text.trim() === '') return '';
  return text
    .split(',')
    .map((entry) => {
      const trimmed = entry.trim();
      if (trimmed === '')
        throw new InvalidArgumentError('reserved_ips has an empty entry (two commas in a row, or one at an end)');
      const ends = trimmed.split('-').map((end) => end.trim());
      if (ends.length > 2)
        throw new InvalidArgumentError(`reserved_ips entry ${quoted(trimmed)} is not an address or a range a-b`);
      const [first, last] = ends.map((end) => addressIn(cidr, end, 'reserved_ips entry'));
      if (!last) return first.toString();
      if (compare(first, last) > 0) throw new InvalidArgumentError(`reserved_ips range ${trimmed} runs backwards`);
      return `${first.toString()}-${last.toString()}`;
    })
    .join(',');
}

/** Checks a subnet's CIDR, gateway and reserved addresses together; each broken rule is a 400 naming its field. */
export function checkSubnetAddressing(input: { cidr: string; gateway: string; reserved_ips: string }): SubnetAddressing {
  const cidr = parseCidr(input.cidr);
  return {
    cidr: formatCidr(cidr),
    gateway: checkGateway(cidr, input.gateway),
    reserved_ips: checkReservedIps(cidr, input.reserved_ips),
    type: cidr.network.kind() === 'ipv4' ? SubnetType.Ipv4 : SubnetType.Ipv6,
  };
}

/**
 * Subnets of one network share no address. Callers hold the network's row lock, so `others` is
 * every subnet there is, and two overlapping creates cannot both pass.
 */
export function refuseOverlap(cidr: string, others: { name: string; cidr: string }[]): void {
  const range = parseCidr(cidr);
  const overlapped = others.find((other) => cidrsOverlap(range, parseCidr(other.cidr)));
  if (overlapped) {
    throw new AlreadyExistsError(`cidr ${cidr} overlaps subnet ${quoted(overlapped.name)} (${overlapped.cidr}) of the network`);
  }
}
