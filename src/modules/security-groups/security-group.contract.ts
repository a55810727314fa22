/**
 * Security groups (ChimeStack's SecurityGroup family): the wire types of this module, shared by its
 * DTOs, views, events and port. Field names follow ChimeStack's published API (SGRequest, SGRuleRequest).
 */

/** `0` ingress, `1` egress: a rule's direction must match the list it is in. */
export enum RuleDirection {
  Ingress = 0,
  Egress = 1,
}

export const RULE_ACTIONS = ['ACCEPT', 'REJECT'] as const;
export const RULE_PROTOCOLS = ['tcp', 'udp', 'icmp', 'all'] as const;

/**
 * A rule as stored and answered: `sip`/`dip` a canonical CIDR or `""` (any address), `sport`/`dport`
 * a range `a:b` or `""` (any port; always `""` for icmp and all).
 */
export interface SecurityGroupRuleView {
  action: string;
  description: string;
  direction: number;
  protocol: string;
  sip: string;
  dip: string;
  sport: string;
  dport: string;
}

export interface SecurityGroupView {
  uuid: string;
  name: string;
  description: string;
  user_uuid: string;
  ingress_rules: SecurityGroupRuleView[];
  egress_rules: SecurityGroupRuleView[];
  created_at: string;
  updated_at: string;
}

/** A rule as a client sends it: everything but action, direction and protocol may be left out. */
export interface SecurityGroupRuleRequest {
  action: string;
  description?: string;
  direction: number;
  protocol: string;
  sip?: string;
  dip?: string;
  sport?: string;
  dport?: string;
}

export interface CreateSecurityGroupRequest {
  name: string;
  description?: string;
  ingress_rules: SecurityGroupRuleRequest[];
  egress_rules: SecurityGroupRuleRequest[];
}

/** Every field optional; rules given replace the whole list. */
export type UpdateSecurityGroupRequest = Partial<CreateSecurityGroupRequest>;

export const SECURITY_GROUP_LIMITS = {
  /** chimestack-docs Usage/limit.md. */
  groupsPerUser: 16,
  rulesPerList: 64,
  nameLength: 64,
  descriptionLength: 256,
} as const;

export const SECURITY_GROUP_SORTABLE = ['name', 'created_at', 'updated_at'] as const;
