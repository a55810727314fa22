import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { Ownership } from '../../../platform/domain/ownership';
import { LimitExceededError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { SECURITY_GROUP_LIMITS, type CreateSecurityGroupRequest, type SecurityGroupView } from '../security-group.contract';
import { SECURITY_GROUP_STREAM, SecurityGroupEntity } from '../security-group.entity';
import { SecurityGroupCreated } from '../security-group.events';
import { normalizeRules } from '../security-group.rules';
import { toSecurityGroupView } from '../security-group.view';

/** The first key of the per-user advisory lock (the second is a hash of the user's uuid). */
const SECURITY_GROUP_OWNER_LOCK = 0x73676c6d; // "sglm"

export class CreateSecurityGroupCommand extends Command<SecurityGroupView> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly request: CreateSecurityGroupRequest,
  ) {
    super();
  }
}

/**
 * A group of the caller's own. Creations by one user take turns on an advisory lock of that user,
 * so the count read under it is exact and the limit (16 per user) holds under concurrency.
 */
@CommandHandler(CreateSecurityGroupCommand)
export class CreateSecurityGroupHandler implements ICommandHandler<CreateSecurityGroupCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ origin, actor, request }: CreateSecurityGroupCommand): Promise<SecurityGroupView> {
    Ownership.assertMayCreate(actor);
    const ingressRules = normalizeRules('ingress_rules', request.ingress_rules);
    const egressRules = normalizeRules('egress_rules', request.egress_rules);
    return this.uow.run(origin, async (tx) => {
      await tx.manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SECURITY_GROUP_OWNER_LOCK, actor.uuid]);
      if (
        (await tx.manager.count(SecurityGroupEntity, { where: { userUuid: actor.uuid } })) >= SECURITY_GROUP_LIMITS.groupsPerUser
      ) {
        throw new LimitExceededError(`at most ${SECURITY_GROUP_LIMITS.groupsPerUser} security groups per user`);
      }
      const now = new Date();
      const group: SecurityGroupEntity = {
        uuid: randomUUID(),
        name: request.name,
        description: request.description ?? '',
        userUuid: actor.uuid,
        ingressRules,
        egressRules,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      // A name the user has already (whatever its case) fails on the unique index: ALREADY_EXISTS.
      await tx.manager.insert(SecurityGroupEntity, group);
      const view = toSecurityGroupView(group);
      await tx.append({ type: SECURITY_GROUP_STREAM, id: group.uuid }, 0, [new SecurityGroupCreated(view)]);
      return view;
    });
  }
}
