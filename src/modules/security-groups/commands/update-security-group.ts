import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { changedFields } from '../../../platform/domain/changes';
import type { Actor } from '../../../platform/http/request-context';
import type { SecurityGroupRuleView, UpdateSecurityGroupRequest } from '../security-group.contract';
import { SECURITY_GROUP_STREAM, SecurityGroupEntity } from '../security-group.entity';
import { SecurityGroupUpdated } from '../security-group.events';
import { normalizeRules, sameRules } from '../security-group.rules';
import { changeableSecurityGroup } from '../security-group.store';

export class UpdateSecurityGroupCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly uuid: string,
    readonly request: UpdateSecurityGroupRequest,
  ) {
    super();
  }
}

/** A rule list resent as it is stored (after normalizing) is no change. */
function changedRules(current: SecurityGroupRuleView[], next: SecurityGroupRuleView[] | undefined) {
  return next === undefined || sameRules(current, next) ? undefined : next;
}

/**
 * Fields left out (or null) stay; a rule list given replaces the whole list. Only what differs is
 * a change (in the event, and for `updated_at`); an update that changes nothing is still recorded.
 */
@CommandHandler(UpdateSecurityGroupCommand)
export class UpdateSecurityGroupHandler implements ICommandHandler<UpdateSecurityGroupCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, actor, uuid, request }: UpdateSecurityGroupCommand): Promise<'ok'> {
    const ingress = request.ingress_rules && normalizeRules('ingress_rules', request.ingress_rules);
    const egress = request.egress_rules && normalizeRules('egress_rules', request.egress_rules);
    await this.uow.run(origin, async (tx) => {
      const group = await changeableSecurityGroup(tx.manager, actor, uuid);
      const changes = {
        ...changedFields(
          { name: group.name, description: group.description },
          { name: request.name, description: request.description },
        ),
        ...(changedRules(group.ingressRules, ingress) ? { ingress_rules: ingress } : {}),
        ...(changedRules(group.egressRules, egress) ? { egress_rules: egress } : {}),
      };
      const updatedAt = Object.keys(changes).length > 0 ? new Date() : group.updatedAt;
      await tx.manager.update(
        SecurityGroupEntity,
        { uuid },
        {
          name: changes.name,
          description: changes.description,
          ingressRules: changes.ingress_rules,
          egressRules: changes.egress_rules,
          updatedAt,
          version: group.version + 1,
        },
      );
      await tx.append({ type: SECURITY_GROUP_STREAM, id: uuid }, group.version, [
        new SecurityGroupUpdated({ uuid, changes, updated_at: updatedAt.toISOString() }),
      ]);
    });
    return 'ok';
  }
}
