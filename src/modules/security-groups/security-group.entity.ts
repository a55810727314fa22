import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SecurityGroupRuleView } from './security-group.contract';

export const SECURITY_GROUP_STREAM = 'security_group';

/**
 * A user's security group (`security_groups`). Its rules are kept with it as two jsonb lists: a
 * rule has no identity of its own, and an update replaces a whole list. NICs reference
 * `security_groups (uuid)` (a foreign key of the networks module, ON DELETE RESTRICT).
 */
@Entity({ name: 'security_groups' })
export class SecurityGroupEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  /** Unique per owner regardless of case (index security_groups_name_key). */
  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('uuid', { name: 'user_uuid' })
  userUuid!: string;

  @Column('jsonb', { name: 'ingress_rules' })
  ingressRules!: SecurityGroupRuleView[];

  @Column('jsonb', { name: 'egress_rules' })
  egressRules!: SecurityGroupRuleView[];

  /** Version of the group's event stream. */
  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
