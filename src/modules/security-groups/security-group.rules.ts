import { formatCidr, parseCidr, quoted, type Cidr } from '../../platform/domain/ip';
import { InvalidArgumentError } from '../../platform/errors/domain-error';
import {
  RULE_ACTIONS,
  RULE_PROTOCOLS,
  RuleDirection,
  SECURITY_GROUP_LIMITS,
  type SecurityGroupRuleRequest,
  type SecurityGroupRuleView,
} from './security-group.contract';

/** Which list a rule is in, and the direction its rules must have. */
export type RuleList = 'ingress_rules' | 'egress_rules';
export const DIRECTION_OF: Record<RuleList, RuleDirection> = {
  ingress_rules: RuleDirection.Ingress,
  egress_rules: RuleDirection.Egress,
};

const PORT_RANGE = /^([1-9]\d{0,4})(?::([1-9]\d{0,4}))?$/;
const MAX_PORT = 65535;
const PORTED = new Set(['tcp', 'udp']);

/** `""` or absent: any port; `a:b` (1 ≤ a ≤ b ≤ 65535); a single port `80` is `80:80`. */
export function normalizePortRange(field: string, text: string | undefined): string {
  if (text === undefined || text === '') return '';
  const match = PORT_RANGE.exec(text);
  const rule = `${field} must be a port range such as 1:100 (ports from 1 to ${MAX_PORT}, the first at most the second), a single port such as 80, or empty for any port`;
  if (!match) throw new InvalidArgumentError(`${rule}; got ${quoted(text)}`);
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (from > MAX_PORT || to > MAX_PORT || from > to) throw new InvalidArgumentError(`${rule}; got ${quoted(text)}`);
  return `${from}:${to}`;
}

/** `""` or absent: any address; otherwise a CIDR (IPv4 or IPv6), kept in its canonical form (host bits cleared). */
export function normalizeRuleCidr(field: string, text: string | undefined): { text: string; cidr?: Cidr } {
  if (text === undefined || text === '') return { text: '' };
  let cidr: Cidr;
  try {
    cidr = parseCidr(text);
  } catch {
    throw new InvalidArgumentError(
      `${field} must be a CIDR such as 192.168.231.0/24 or 2001:db8::/64, or empty for any address; got ${quoted(text)}`,
    );
  }
  return { text: formatCidr(cidr), cidr };
}

/**
 * One rule as it is stored, or 400 INVALID_ARGUMENT naming the field (`ingress_rules.0.dport`).
 * Types are the DTO's to check; this checks what the values mean.
 */
export function normalizeRule(list: RuleList, index: number, rule: SecurityGroupRuleRequest): SecurityGroupRuleView {
  const at = `${list}.${index}`;
  if (!(RULE_ACTIONS as readonly string[]).includes(rule.action)) {
    throw new InvalidArgumentError(`${at}.action must be ${RULE_ACTIONS.join(' or ')}; got ${quoted(String(rule.action))}`);
  }
  if (!(RULE_PROTOCOLS as readonly string[]).includes(rule.protocol)) {
    throw new InvalidArgumentError(`${at}.protocol must be one of ${RULE_PROTOCOLS.join(', ')}; got ${quoted(String(rule.protocol))}`);
  }
  const direction = DIRECTION_OF[list];
  if (rule.direction !== direction) {
    throw new InvalidArgumentError(
      `${at}.direction must be ${direction} (${direction === RuleDirection.Ingress ? 'ingress' : 'egress'}) in ${list}; got ${String(rule.direction)}`,
    );
  }
  const sip = normalizeRuleCidr(`${at}.sip`, rule.sip);
  const dip = normalizeRuleCidr(`${at}.dip`, rule.dip);
  if (sip.cidr && dip.cidr && sip.cidr.network.kind() !== dip.cidr.network.kind()) {
    throw new InvalidArgumentError(`${at}.sip and ${at}.dip must be of one IP version (both IPv4 or both IPv6)`);
  }
  const sport = normalizePortRange(`${at}.sport`, rule.sport);
  const dport = normalizePortRange(`${at}.dport`, rule.dport);
  if (!PORTED.has(rule.protocol) && (sport || dport)) {
    throw new InvalidArgumentError(
      `${at}: ports are only meaningful for tcp and udp; leave sport and dport empty for protocol ${rule.protocol}`,
    );
  }
  return {
    action: rule.action,
    description: rule.description ?? '',
    direction,
    protocol: rule.protocol,
    sip: sip.text,
    dip: dip.text,
    sport,
    dport,
  };
}

/** A whole list of rules as stored: at most SECURITY_GROUP_LIMITS.rulesPerList, each normalized. */
export function normalizeRules(list: RuleList, rules: readonly SecurityGroupRuleRequest[]): SecurityGroupRuleView[] {
  if (rules.length > SECURITY_GROUP_LIMITS.rulesPerList) {
    throw new InvalidArgumentError(`${list} must hold at most ${SECURITY_GROUP_LIMITS.rulesPerList} rules; got ${rules.length}`);
  }
  return rules.map((rule, index) => normalizeRule(list, index, rule));
}

/** A stored rule with its fields in the wire order (jsonb keeps object keys in an order of its own). */
export function storedRule(rule: SecurityGroupRuleView): SecurityGroupRuleView {
  const { action, description, direction, protocol, sip, dip, sport, dport } = rule;
  return { action, description, direction, protocol, sip, dip, sport, dport };
}

/** Whether two rule lists say the same thing, in the same order. */
export function sameRules(a: readonly SecurityGroupRuleView[], b: readonly SecurityGroupRuleView[]): boolean {
  return JSON.stringify(a.map(storedRule)) === JSON.stringify(b.map(storedRule));
}
