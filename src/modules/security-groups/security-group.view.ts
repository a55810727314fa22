import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { NamedResourceSchema } from '../../platform/http/resource-fields';
import {
  RULE_ACTIONS,
  RULE_PROTOCOLS,
  RuleDirection,
  SECURITY_GROUP_LIMITS,
  type SecurityGroupRuleView,
  type SecurityGroupView,
} from './security-group.contract';
import type { SecurityGroupEntity } from './security-group.entity';
import { storedRule } from './security-group.rules';

export function toSecurityGroupView(group: SecurityGroupEntity): SecurityGroupView {
  return {
    uuid: group.uuid,
    name: group.name,
    description: group.description,
    user_uuid: group.userUuid,
    ingress_rules: group.ingressRules.map(storedRule),
    egress_rules: group.egressRules.map(storedRule),
    created_at: group.createdAt.toISOString(),
    updated_at: group.updatedAt.toISOString(),
  };
}

/** A rule as answered, for the OpenAPI document. */
@ApiSchema({ name: 'SecurityGroupRule' })
export class SecurityGroupRuleSchema implements SecurityGroupRuleView {
  @ApiProperty({ enum: [...RULE_ACTIONS] })
  action!: string;

  @ApiProperty({ maxLength: 256 })
  description!: string;

  @ApiProperty({ enum: [RuleDirection.Ingress, RuleDirection.Egress], description: '0 ingress, 1 egress' })
  direction!: number;

  @ApiProperty({ enum: [...RULE_PROTOCOLS] })
  protocol!: string;

  @ApiProperty({ description: 'source CIDR, canonical (host bits cleared); "" for any address' })
  sip!: string;

  @ApiProperty({ description: 'destination CIDR, canonical; "" for any address' })
  dip!: string;

  @ApiProperty({ description: 'source port range "a:b"; "" for any port' })
  sport!: string;

  @ApiProperty({ description: 'destination port range "a:b"; "" for any port' })
  dport!: string;
}

/** The wire shape of a security group, for the OpenAPI document. */
@ApiSchema({ name: 'SecurityGroup' })
export class SecurityGroupViewSchema extends NamedResourceSchema implements SecurityGroupView {
  @ApiProperty({ format: 'uuid', description: 'the owner' })
  user_uuid!: string;

  @ApiProperty({ type: [SecurityGroupRuleSchema], maxItems: SECURITY_GROUP_LIMITS.rulesPerList })
  ingress_rules!: SecurityGroupRuleView[];

  @ApiProperty({ type: [SecurityGroupRuleSchema], maxItems: SECURITY_GROUP_LIMITS.rulesPerList })
  egress_rules!: SecurityGroupRuleView[];

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}
