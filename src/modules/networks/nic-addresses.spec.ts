import { addressPlan, capacity, checkNicAddress, formatAddress, formatMac, netmask, take, toNumber, walk } from './nic-addresses';
import { parseAddress } from '../../platform/domain/ip';

const plan = (cidr: string, gateway = '', reserved_ips = '') => addressPlan({ cidr, gateway, reserved_ips });
const n = (text: string) => toNumber(parseAddress(text)!);
const addresses = (p: ReturnType<typeof plan>, start: string, count: number) =>
  take(walk(p, n(start)), count).map((value) => formatAddress(value, p.kind));

describe('NIC addresses', () => {
  it('leaves out the network, broadcast and gateway addresses and the reserved ones of an IPv4 subnet', () => {
    const p = plan('192.168.231.0/24', '192.168.231.2', '192.168.231.254,192.168.231.10-192.168.231.100');
    expect(addresses(p, '192.168.231.0', 12)).toEqual([
      '192.168.231.1',
      '192.168.231.3',
      '192.168.231.4',
      '192.168.231.5',
      '192.168.231.6',
      '192.168.231.7',
      '192.168.231.8',
      '192.168.231.9',
      '192.168.231.101',
      '192.168.231.102',
      '192.168.231.103',
      '192.168.231.104',
    ]);
    // 254 hosts − gateway − 91 reserved in the range − .254
    expect(capacity(p)).toBe(254n - 1n - 91n - 1n);
    const all = [...walk(p, n('192.168.231.0'))].map((value) => formatAddress(value, 'ipv4'));
    expect(all).toHaveLength(161);
    expect(new Set(all).size).toBe(161);
    for (const refused of ['192.168.231.0', '192.168.231.255', '192.168.231.2', '192.168.231.254', '192.168.231.50']) {
      expect(all).not.toContain(refused);
    }
  });

  it('wraps once: from a cursor to the end, then from the start up to the cursor', () => {
    const p = plan('10.0.0.0/29', '10.0.0.1');
    expect(addresses(p, '10.0.0.5', 10)).toEqual(['10.0.0.5', '10.0.0.6', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
    // A cursor outside the subnet (the cidr changed) starts at its first address.
    expect(addresses(p, '10.0.1.9', 10)).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
  });

  it('gives nothing in a full plan: everything reserved', () => {
    const p = plan('10.0.0.0/30', '10.0.0.1', '10.0.0.2');
    expect(capacity(p)).toBe(0n);
    expect([...walk(p, n('10.0.0.0'))]).toEqual([]);
  });

  it('merges overlapping and adjacent reserved ranges', () => {
    const p = plan('10.0.0.0/24', '10.0.0.5', '10.0.0.1-10.0.0.4,10.0.0.3-10.0.0.9,10.0.0.10');
    expect(p.excluded).toEqual([[n('10.0.0.1'), n('10.0.0.10')]]);
    expect(addresses(p, '10.0.0.0', 1)).toEqual(['10.0.0.11']);
  });

  it('uses every address of /31 and /32 subnets (RFC 3021)', () => {
    expect(addresses(plan('10.0.0.0/31'), '10.0.0.0', 5)).toEqual(['10.0.0.0', '10.0.0.1']);
    expect(addresses(plan('10.0.0.7/32'), '10.0.0.7', 5)).toEqual(['10.0.0.7']);
  });

  it('walks IPv6 subnets, skipping the subnet-router anycast address and huge reserved ranges at once', () => {
    const p = plan('2001:db8::/64', '2001:db8::1', '2001:db8::2-2001:db8::ffff:ffff:ffff');
    expect(addresses(p, '2001:db8::', 3)).toEqual(['2001:db8:0:0:1::', '2001:db8::1:0:0:1', '2001:db8::1:0:0:2']);
    expect(addresses(p, '2001:db8::ffff:ffff:ffff:ffff', 2)).toEqual(['2001:db8::ffff:ffff:ffff:ffff', '2001:db8:0:0:1::']);
    expect(capacity(p)).toBe((1n << 64n) - 1n - 1n - (0xffffffffffffn - 1n));
    expect(netmask(p)).toBe('ffff:ffff:ffff:ffff::');
    expect(checkNicAddress(p, '2001:DB8::1:0:0:9')).toBe('2001:db8::1:0:0:9');
  });

  it('checks an address a client asks for', () => {
    const p = plan('192.168.231.0/24', '192.168.231.2', '192.168.231.200-192.168.231.210');
    expect(checkNicAddress(p, '192.168.231.20')).toBe('192.168.231.20');
    expect(() => checkNicAddress(p, 'string')).toThrow('ip "string" is not an IP address');
    expect(() => checkNicAddress(p, '192.168.232.1')).toThrow('outside the subnet 192.168.231.0/24');
    expect(() => checkNicAddress(p, '192.168.231.0')).toThrow('network address');
    expect(() => checkNicAddress(p, '192.168.231.255')).toThrow('broadcast address');
    expect(() => checkNicAddress(p, '192.168.231.2')).toThrow('gateway or one of its reserved');
    expect(() => checkNicAddress(p, '192.168.231.205')).toThrow('gateway or one of its reserved');
    expect(() => checkNicAddress(p, '2001:db8::1')).toThrow('is an IPv6 address, the subnet 192.168.231.0/24 is IPv4');
    expect(() => checkNicAddress(p, '192.168.231.010')).toThrow('is not an IP address');
    expect(netmask(p)).toBe('255.255.255.0');
  });

  it('formats MACs from serial numbers: 52:54:00 and 24 bits', () => {
    expect(formatMac(1)).toBe('52:54:00:00:00:01');
    expect(formatMac(0x6e52be)).toBe('52:54:00:6e:52:be');
    expect(formatMac(0xffffff)).toBe('52:54:00:ff:ff:ff');
    expect(formatMac(0x1000001)).toBe('52:54:00:00:00:01');
    expect(new Set(Array.from({ length: 20_000 }, (_, i) => formatMac(i + 1))).size).toBe(20_000);
  });
});
