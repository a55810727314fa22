import { AlreadyExistsError, InvalidArgumentError } from '../../platform/errors/domain-error';
import {
  compare,
  contains,
  formatCidr,
  parseAddress,
  parseCidr,
  cidrsOverlap,
  quoted,
  version,
  withHostBits,
  type Address,
  type Cidr,
} from '../../platform/domain/ip';
import { SubnetType } from './network.contract';

/** A subnet's addresses, checked together and written canonically. */
export interface SubnetAddressing {
  cidr: string;
  gateway: string;
  reserved_ips: string;
  type: SubnetType;
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
