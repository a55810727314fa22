import ipaddr from 'ipaddr.js';
import { AlreadyExistsError, InvalidArgumentError } from '../../platform/errors/domain-error';
import { contains, formatCidr, parseAddress, parseCidr, quoted, version, type Address } from '../../platform/domain/ip';

/**
 * Which addresses of a subnet a NIC may hold, as numbers: `first`..`last` (an IPv4 subnet of /30 or
 * larger leaves out its network and broadcast addresses, an IPv6 one of /126 or larger its
 * subnet-router anycast address, the all-zero host; smaller ones give every address), minus
 * `excluded`: the gateway and the reserved addresses and ranges, merged and sorted.
 */
export interface AddressPlan {
  kind: 'ipv4' | 'ipv6';
  cidr: string;
  prefix: number;
  first: bigint;
  last: bigint;
  excluded: [bigint, bigint][];
}

export const toNumber = (address: Address): bigint =>
  address.toByteArray().reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);

export function toAddress(value: bigint, kind: 'ipv4' | 'ipv6'): Address {
  const bytes: number[] = [];
  for (let i = 0, v = value; i < (kind === 'ipv4' ? 4 : 16); i++, v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return ipaddr.fromByteArray(bytes);
}

export const formatAddress = (value: bigint, kind: 'ipv4' | 'ipv6') => toAddress(value, kind).toString();

/** The plan of a subnet as stored (canonical CIDR, gateway and reserved_ips, checked by subnet-addresses.ts). */
export function addressPlan(subnet: { cidr: string; gateway: string; reserved_ips: string }): AddressPlan {
  const cidr = parseCidr(subnet.cidr);
  const kind = cidr.network.kind();
  const bits = kind === 'ipv4' ? 32 : 128;
  const network = toNumber(cidr.network);
  const top = network + (1n << BigInt(bits - cidr.prefix)) - 1n;
  const first = cidr.prefix <= bits - 2 ? network + 1n : network;
  const last = kind === 'ipv4' && cidr.prefix <= 30 ? top - 1n : top;
  const ranges: [bigint, bigint][] = [];
  if (subnet.gateway) {
    const gateway = toNumber(parseAddress(subnet.gateway)!);
    ranges.push([gateway, gateway]);
  }
  for (const entry of subnet.reserved_ips ? subnet.reserved_ips.split(',') : []) {
    const [a, b = a] = entry.split('-').map((end) => toNumber(parseAddress(end)!));
    ranges.push([a, b]);
  }
  ranges.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const excluded: [bigint, bigint][] = [];
  for (const [a, b] of ranges) {
    const previous = excluded[excluded.length - 1];
    if (previous && a <= previous[1] + 1n) previous[1] = b > previous[1] ? b : previous[1];
    else excluded.push([a, b]);
  }
  return { kind, cidr: formatCidr(cidr), prefix: cidr.prefix, first, last, excluded };
}

/** How many addresses NICs may hold in the subnet. */
export function capacity(plan: AddressPlan): bigint {
  if (plan.last < plan.first) return 0n;
  let count = plan.last - plan.first + 1n;
  for (const [a, b] of plan.excluded) {
    const from = a > plan.first ? a : plan.first;
    const to = b < plan.last ? b : plan.last;
    if (from <= to) count -= to - from + 1n;
  }
  return count;
}

/** The first address at or after `from` (up to `last`) that a NIC may hold, or undefined. */
export function nextAllowed(plan: AddressPlan, from: bigint): bigint | undefined {
  let candidate = from < plan.first ? plan.first : from;
  for (const [a, b] of plan.excluded) {
    if (b < candidate) continue;
    if (a > candidate) break;
    candidate = b + 1n;
  }
  return candidate <= plan.last ? candidate : undefined;
}

/**
 * The addresses a NIC may hold, in order from `start` to the end of the subnet, then from its
 * start up to `start` (wrapping once): each allowed address exactly once.
 */
export function* walk(plan: AddressPlan, start: bigint): Generator<bigint> {
  const origin = start < plan.first || start > plan.last ? plan.first : start;
  for (let at = nextAllowed(plan, origin); at !== undefined; at = nextAllowed(plan, at + 1n)) yield at;
  for (let at = nextAllowed(plan, plan.first); at !== undefined && at < origin; at = nextAllowed(plan, at + 1n)) yield at;
}

/** Up to `count` addresses of the walk. */
export function take(addresses: Iterator<bigint>, count: number): bigint[] {
  const taken: bigint[] = [];
  while (taken.length < count) {
    const next = addresses.next();
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}

/**
 * An address a client asks for: of the subnet, and one a NIC may hold (not the network, broadcast
 * or gateway address, not reserved); canonical. Each broken rule is a 400 naming it.
 */
export function checkNicAddress(plan: AddressPlan, text: string): string {
  const address = parseAddress(text);
  if (!address) throw new InvalidArgumentError(`ip ${quoted(text)} is not an IP address`);
  const cidr = parseCidr(plan.cidr);
  if (address.kind() !== plan.kind) {
    throw new InvalidArgumentError(`ip ${text} is an ${version(address)} address, the subnet ${plan.cidr} is ${version(cidr.network)}`);
  }
  if (!contains(cidr, address)) throw new InvalidArgumentError(`ip ${text} is outside the subnet ${plan.cidr}`);
  const value = toNumber(address);
  if (value < plan.first) throw new InvalidArgumentError(`ip ${text} is the network address of ${plan.cidr}`);
  if (value > plan.last) throw new InvalidArgumentError(`ip ${text} is the broadcast address of ${plan.cidr}`);
  if (nextAllowed(plan, value) !== value) {
    throw new InvalidArgumentError(`ip ${text} is the subnet's gateway or one of its reserved addresses (reserved_ips)`);
  }
  return address.toString();
}

/** The refusal of an address another NIC holds. */
export const addressTaken = (ip: string, holder: { uuid: string; name: string }) =>
  new AlreadyExistsError(`ip ${ip} is held by network interface ${quoted(holder.name)} (${holder.uuid})`);

/** The subnet mask of a prefix length: `255.255.255.0`, or `ffff:ffff:ffff:ffff::` for IPv6. */
export function netmask(plan: Pick<AddressPlan, 'kind' | 'prefix'>): string {
  return (plan.kind === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6).subnetMaskFromPrefixLength(plan.prefix).toString();
}

/** QEMU/KVM's locally administered prefix; the last 24 bits number NICs (a database sequence, never random). */
export const MAC_PREFIX = '52:54:00';
export const MAC_SPACE = 0x1000000;

export function formatMac(serial: number): string {
  const low = ((serial % MAC_SPACE) + MAC_SPACE) % MAC_SPACE;
  const hex = low.toString(16).padStart(6, '0');
  return `${MAC_PREFIX}:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}

/** A MAC address as ChimeStack may store one (any case): six hex pairs separated by colons. */
export const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
