import { InvalidArgumentError } from '../../platform/errors/domain-error';
import type { SecurityGroupRuleRequest } from './security-group.contract';
import { normalizePortRange, normalizeRule, normalizeRules } from './security-group.rules';

const tcp: SecurityGroupRuleRequest = { action: 'ACCEPT', direction: 0, protocol: 'tcp' };

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('security group rules', () => {
  it('stores a rule in its canonical form, absent fields as "" (any)', () => {
    expect(normalizeRule('ingress_rules', 0, tcp)).toEqual({
      action: 'ACCEPT',
      description: '',
      direction: 0,
      protocol: 'tcp',
      sip: '',
      dip: '',
      sport: '',
      dport: '',
    });
    expect(
      normalizeRule('egress_rules', 3, {
        action: 'REJECT',
        description: 'x',
        direction: 1,
        protocol: 'udp',
        sip: '192.168.231.1/24',
        dip: '10.0.0.7/32',
        sport: '80',
        dport: '1:65535',
      }),
    ).toEqual({
      action: 'REJECT',
      description: 'x',
      direction: 1,
      protocol: 'udp',
      sip: '192.168.231.0/24',
      dip: '10.0.0.7/32',
      sport: '80:80',
      dport: '1:65535',
    });
    expect(normalizeRule('ingress_rules', 0, { ...tcp, sip: '2001:DB8:0:0::1/64', dip: '::/0' })).toMatchObject({
      sip: '2001:db8::/64',
      dip: '::/0',
    });
    expect(normalizeRule('ingress_rules', 0, { ...tcp, protocol: 'icmp', sip: '', sport: '', dport: '' })).toMatchObject({ sport: '', dport: '' });
  });

  it.each([
    [{ action: 'accept' }, 'ingress_rules.2.action must be ACCEPT or REJECT'],
    [{ action: 'DROP' }, 'ingress_rules.2.action must be ACCEPT or REJECT'],
    [{ protocol: 'TCP' }, 'ingress_rules.2.protocol must be one of tcp, udp, icmp, all'],
    [{ protocol: 'sctp' }, 'ingress_rules.2.protocol must be one of'],
    [{ direction: 1 }, 'ingress_rules.2.direction must be 0 (ingress) in ingress_rules'],
    [{ direction: 2 }, 'ingress_rules.2.direction must be 0'],
    [{ sip: '10.0.0.1' }, 'ingress_rules.2.sip must be a CIDR'],
    [{ sip: '10.0.0.0/33' }, 'ingress_rules.2.sip must be a CIDR'],
    [{ sip: '010.0.0.0/8' }, 'ingress_rules.2.sip must be a CIDR'],
    [{ dip: 'any' }, 'ingress_rules.2.dip must be a CIDR'],
    [{ dip: '::/129' }, 'ingress_rules.2.dip must be a CIDR'],
    [{ dip: 'fe80::1%eth0/64' }, 'ingress_rules.2.dip must be a CIDR'],
    [{ sip: '10.0.0.0/8', dip: '2001:db8::/64' }, 'ingress_rules.2.sip and ingress_rules.2.dip must be of one IP version'],
    [{ sport: '0:10' }, 'ingress_rules.2.sport must be a port range'],
    [{ sport: '100:1' }, 'ingress_rules.2.sport must be a port range'],
    [{ dport: '65536' }, 'ingress_rules.2.dport must be a port range'],
    [{ dport: '1:65536' }, 'ingress_rules.2.dport must be a port range'],
    [{ dport: '080' }, 'ingress_rules.2.dport must be a port range'],
    [{ dport: '1-100' }, 'ingress_rules.2.dport must be a port range'],
    [{ dport: '1:2:3' }, 'ingress_rules.2.dport must be a port range'],
    [{ dport: ' 80' }, 'ingress_rules.2.dport must be a port range'],
    [{ dport: ':80' }, 'ingress_rules.2.dport must be a port range'],
    [{ dport: '-1' }, 'ingress_rules.2.dport must be a port range'],
    [{ protocol: 'icmp', dport: '1:10' }, 'ingress_rules.2: ports are only meaningful for tcp and udp'],
    [{ protocol: 'all', sport: '80' }, 'ingress_rules.2: ports are only meaningful for tcp and udp'],
  ])('refuses %j naming the field', (change, message) => {
    expect(refusal(() => normalizeRule('ingress_rules', 2, { ...tcp, ...change }))).toContain(message);
  });

  it('refuses an ingress direction in egress_rules', () => {
    expect(refusal(() => normalizeRule('egress_rules', 0, tcp))).toContain('egress_rules.0.direction must be 1 (egress) in egress_rules');
  });

  it('caps a list at 64 rules', () => {
    expect(normalizeRules('ingress_rules', Array(64).fill(tcp))).toHaveLength(64);
    expect(refusal(() => normalizeRules('ingress_rules', Array(65).fill(tcp)))).toContain('ingress_rules must hold at most 64 rules');
  });

  it('reads a single port as a range of one', () => {
    expect(normalizePortRange('dport', '443')).toBe('443:443');
    expect(normalizePortRange('dport', '65535:65535')).toBe('65535:65535');
    expect(normalizePortRange('dport', undefined)).toBe('');
  });
});
