import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import type { Actor } from '../../platform/http/request-context';
import { SecurityGroupEntity } from './security-group.entity';
import { storedRule } from './security-group.rules';
import { securityGroupNotFound, visibleSecurityGroup } from './security-group.store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A rule as stored: `sip`/`dip` a canonical CIDR or "" (any), `sport`/`dport` "a:b" or "" (any). */
export interface SecurityGroupRule {
  action: string;
  description: string;
  direction: number;
  protocol: string;
  sip: string;
  dip: string;
  sport: string;
  dport: string;
}

export interface UsableSecurityGroup {
  uuid: string;
  name: string;
  ingress_rules: SecurityGroupRule[];
  egress_rules: SecurityGroupRule[];
}

const usable = (group: SecurityGroupEntity): UsableSecurityGroup => ({
  uuid: group.uuid,
  name: group.name,
  ingress_rules: group.ingressRules.map(storedRule),
  egress_rules: group.egressRules.map(storedRule),
});

/**
 * What other modules (NICs in the networks module) may know of security groups: this module's
 * export. A NIC references `security_groups (uuid)` by a foreign key ON DELETE RESTRICT owned by
 * the networks module, so a group in use is not deleted (that module maps the violation to a 400).
 */
@Injectable()
export class SecurityGroupPort {
  /** The group a NIC of `actor` may use: 404 NOT_FOUND when it does not exist or the actor may not see it. */
  async usable(manager: EntityManager, sgUuid: string, actor: Actor): Promise<UsableSecurityGroup> {
    if (!UUID.test(sgUuid)) throw securityGroupNotFound(sgUuid);
    return usable(await visibleSecurityGroup(manager, actor, sgUuid));
  }

  /** Several groups by uuid (missing ones left out), for views and agent payloads. */
  async byUuids(manager: EntityManager, uuids: string[]): Promise<Map<string, UsableSecurityGroup>> {
    const wanted = [...new Set(uuids.filter((uuid) => UUID.test(uuid)))];
    if (wanted.length === 0) return new Map();
    const groups = await manager.find(SecurityGroupEntity, { where: { uuid: In(wanted) } });
    return new Map(groups.map((group) => [group.uuid, usable(group)]));
  }
}
