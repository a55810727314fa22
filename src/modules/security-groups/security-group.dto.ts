import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { DisplayText, NameFilter, ResourceDescription, ResourceName } from '../../platform/http/resource-fields';
import { IsAnyUuid } from '../../platform/http/validation';
import {
  RULE_ACTIONS,
  RULE_PROTOCOLS,
  RuleDirection,
  SECURITY_GROUP_LIMITS,
  SECURITY_GROUP_SORTABLE,
  type CreateSecurityGroupRequest,
  type SecurityGroupRuleRequest,
  type UpdateSecurityGroupRequest,
} from './security-group.contract';

const CIDR_DOC = 'a CIDR (IPv4 or IPv6) such as 192.168.231.0/24; empty or left out: any address';
const PORTS_DOC = 'a port range such as 1:100 (1 to 65535), or one port such as 80; empty or left out: any port (tcp and udp only)';
const RULES_RULE = `$property must be an array of at most ${SECURITY_GROUP_LIMITS.rulesPerList} rules`;

/** One rule (ChimeStack's SGRuleRequest); what the values mean is checked by security-group.rules.ts. */
@ApiSchema({ name: 'SGRuleRequest' })
export class SecurityGroupRuleDto implements SecurityGroupRuleRequest {
  @ApiProperty({ enum: [...RULE_ACTIONS] })
  @IsString()
  @IsIn([...RULE_ACTIONS], { message: `$property must be ${RULE_ACTIONS.join(' or ')}` })
  action!: string;

  @ApiPropertyOptional({ maxLength: 256 })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @DisplayText()
  description?: string;

  @ApiProperty({
    enum: [RuleDirection.Ingress, RuleDirection.Egress],
    description: '0 ingress, 1 egress: must match the list the rule is in',
  })
  @IsInt({ message: '$property must be 0 (ingress) or 1 (egress)' })
  @IsIn([RuleDirection.Ingress, RuleDirection.Egress], { message: '$property must be 0 (ingress) or 1 (egress)' })
  direction!: number;

  @ApiProperty({ enum: [...RULE_PROTOCOLS] })
  @IsString()
  @IsIn([...RULE_PROTOCOLS], { message: `$property must be one of ${RULE_PROTOCOLS.join(', ')}` })
  protocol!: string;

  @ApiPropertyOptional({ maxLength: 64, description: `source: ${CIDR_DOC}` })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  sip?: string;

  @ApiPropertyOptional({ maxLength: 64, description: `destination: ${CIDR_DOC}` })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  dip?: string;

  @ApiPropertyOptional({ maxLength: 16, description: `source: ${PORTS_DOC}` })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  sport?: string;

  @ApiPropertyOptional({ maxLength: 16, description: `destination: ${PORTS_DOC}` })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  dport?: string;
}

const RuleList = (what: string, optional: boolean) => {
  const doc = { type: SecurityGroupRuleDto, isArray: true, maxItems: SECURITY_GROUP_LIMITS.rulesPerList, description: what };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(optional ? [IsOptional()] : []),
    IsArray({ message: RULES_RULE }),
    ArrayMaxSize(SECURITY_GROUP_LIMITS.rulesPerList, { message: RULES_RULE }),
    ValidateNested({ each: true }),
    Type(() => SecurityGroupRuleDto),
  );
};

/** ChimeStack's SGRequest, for createSecurityGroup. */
@ApiSchema({ name: 'SGRequest' })
export class CreateSecurityGroupDto implements CreateSecurityGroupRequest {
  @ResourceName()
  name!: string;

  @ResourceDescription()
  description?: string;

  @RuleList('ingress rules (direction 0)', false)
  ingress_rules!: SecurityGroupRuleDto[];

  @RuleList('egress rules (direction 1)', false)
  egress_rules!: SecurityGroupRuleDto[];
}

/** SGRequest for updateSecurityGroup: every field optional; a rule list given replaces the whole list. */
@ApiSchema({ name: 'UpdateSGRequest' })
export class UpdateSecurityGroupDto implements UpdateSecurityGroupRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 64 })
  @IsOptional()
  @ResourceName()
  name?: string;

  @ResourceDescription()
  description?: string;

  @RuleList('ingress rules (direction 0); replaces the whole list', true)
  ingress_rules?: SecurityGroupRuleDto[];

  @RuleList('egress rules (direction 1); replaces the whole list', true)
  egress_rules?: SecurityGroupRuleDto[];
}

export class SecurityGroupListParams extends ListQuery(SECURITY_GROUP_SORTABLE) {
  @NameFilter()
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "the security group's uuid" })
  @IsOptional()
  @IsAnyUuid('uuid must be a UUID')
  uuid?: string;
}
