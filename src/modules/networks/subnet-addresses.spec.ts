import { AlreadyExistsError, InvalidArgumentError } from '../../platform/errors/domain-error';
import { checkSubnetAddressing, refuseOverlap } from './subnet-addresses';

const check = (cidr: string, gateway = '', reserved_ips = '') => checkSubnetAddressing({ cidr, gateway, reserved_ips });
const refused = (cidr: string, gateway = '', reserved_ips = '') => {
  try {
    check(cidr, gateway, reserved_ips);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${cidr} ${gateway} ${reserved_ips}`);
};

describe('subnet addresses', () => {
  it("takes ChimeStack's example, clearing the host bits of the cidr", () => {
    expect(check('192.168.231.1/24', '192.168.231.2', '192.168.231.254,192.168.231.1-192.168.231.100')).toEqual({
      cidr: '192.168.231.0/24',
      gateway: '192.168.231.2',
      reserved_ips: '192.168.231.254,192.168.231.1-192.168.231.100',
      type: 0,
    });
  });

  it('writes IPv6 canonically (RFC 5952)', () => {
    expect(check('2001:DB8:0:0::5/64', '2001:db8:0::1', ' 2001:db8::a - 2001:db8::ff , 2001:db8::1:0:0:1')).toEqual({
      cidr: '2001:db8::/64',
      gateway: '2001:db8::1',
      reserved_ips: '2001:db8::a-2001:db8::ff,2001:db8::1:0:0:1',
      type: 1,
    });
  });

  it.each([
    '10.0.0.0',
    '10.0.0.0/33',
    '10.1/8',
    '010.0.0.0/8',
    '0x0a.0.0.0/8',
    '10.0.0.0/08',
    '10.0.0.0/8/8',
    ' 10.0.0.0/8',
    'fe80::1%eth0/64',
    '2001:db8::/129',
    '',
  ])('refuses the cidr %p', (cidr) => expect(refused(cidr)).toMatch(/^cidr .* is not a CIDR/));

  it('keeps the gateway inside the cidr, in its version, off the IPv4 network and broadcast addresses', () => {
    expect(refused('10.0.0.0/24', '10.0.1.1')).toBe('gateway 10.0.1.1 is outside the cidr 10.0.0.0/24');
    expect(refused('10.0.0.0/24', '2001:db8::1')).toBe('gateway 2001:db8::1 is an IPv6 address, the cidr is IPv4');
    expect(refused('10.0.0.0/24', '10.0.0.0')).toBe('gateway 10.0.0.0 is the network address of 10.0.0.0/24');
    expect(refused('10.0.0.0/24', '10.0.0.255')).toBe('gateway 10.0.0.255 is the broadcast address of 10.0.0.0/24');
    expect(refused('10.0.0.0/24', '10.0.0.01')).toBe('gateway "10.0.0.01" is not an IP address');
    expect(check('10.0.0.0/31', '10.0.0.0').gateway).toBe('10.0.0.0');
    expect(check('10.0.0.7/32', '10.0.0.7').gateway).toBe('10.0.0.7');
    expect(check('2001:db8::/64', '2001:db8::').gateway).toBe('2001:db8::');
    expect(refused('2001:db8::/64', '2001:db9::1')).toBe('gateway 2001:db9::1 is outside the cidr 2001:db8::/64');
  });

  it('keeps reserved addresses inside the cidr, ranges forwards, one IP version', () => {
    expect(check('10.0.0.0/24', '', '10.0.0.5-10.0.0.5').reserved_ips).toBe('10.0.0.5-10.0.0.5');
    expect(check('10.0.0.0/24', '', '  ').reserved_ips).toBe('');
    expect(refused('10.0.0.0/24', '', '10.0.0.9-10.0.0.2')).toBe('reserved_ips range 10.0.0.9-10.0.0.2 runs backwards');
    expect(refused('10.0.0.0/24', '', '10.0.0.1,10.0.1.1')).toBe('reserved_ips entry 10.0.1.1 is outside the cidr 10.0.0.0/24');
    expect(refused('10.0.0.0/24', '', '10.0.0.1-10.0.1.1')).toBe('reserved_ips entry 10.0.1.1 is outside the cidr 10.0.0.0/24');
    expect(refused('10.0.0.0/24', '', '10.0.0.1-::1')).toBe('reserved_ips entry ::1 is an IPv6 address, the cidr is IPv4');
    expect(refused('10.0.0.0/24', '', '10.0.0.1,')).toMatch(/^reserved_ips has an empty entry/);
    expect(refused('10.0.0.0/24', '', '10.0.0.1-10.0.0.2-10.0.0.3')).toMatch(/is not an address or a range a-b$/);
    expect(refused('10.0.0.0/24', '', '10.0.0.1-')).toBe('reserved_ips entry "" is not an IP address');
    expect(refused('10.0.0.0/24', '', 'ten')).toBe('reserved_ips entry "ten" is not an IP address');
    expect(refused('2001:db8::/64', '', '2001:db8::ff-2001:db8::a')).toBe(
      'reserved_ips range 2001:db8::ff-2001:db8::a runs backwards',
    );
  });

  it('finds overlaps within one IP version only', () => {
    const others = [
      { name: 'a', cidr: '10.0.0.0/24' },
      { name: 'b', cidr: '2001:db8::/64' },
    ];
    expect(() => refuseOverlap('10.0.1.0/24', others)).not.toThrow();
    expect(() => refuseOverlap('2001:db8:0:1::/64', others)).not.toThrow();
    expect(() => refuseOverlap('10.0.0.128/25', others)).toThrow(AlreadyExistsError);
    expect(() => refuseOverlap('10.0.0.0/16', others)).toThrow(
      'cidr 10.0.0.0/16 overlaps subnet "a" (10.0.0.0/24) of the network',
    );
    expect(() => refuseOverlap('2001:db8::/32', others)).toThrow(AlreadyExistsError);
  });
});
