import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import { CLIENT_STREAM, ClientEntity } from '../client.entity';
import { ClientState, TaskState } from '../host.contract';
import { HOST_STREAM, HostEntity } from '../host.entity';
import { ClientReleased, HostDeleted } from '../host.events';
import { lockClient, lockHost, type HostPath } from '../host.store';
import { TaskEntity } from '../task.entity';
import { TaskOutcomes } from '../task-outcome';

export class DeleteHostCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly path: HostPath,
  ) {
    super();
  }
}

/**
 * Deletes a host on which nothing is placed. Its node becomes a free client again and its agent's
 * credential is revoked in the same transaction: every server process checks credentials in the
 * database, so the agent's next request is a 401 everywhere (it enrols again to come back). Tasks
 * its agent had not finished fail, since it can no longer report them.
 */
@CommandHandler(DeleteHostCommand)
export class DeleteHostHandler implements ICommandHandler<DeleteHostCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly outcomes: TaskOutcomes,
  ) {}

  async execute({ origin, path }: DeleteHostCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const host = await lockHost(tx.manager, path);
      if (host.usedVcpus > 0 || host.usedMemory > 0) {
        throw new FailedPreconditionError(
          `host ${host.uuid} still has ${host.usedVcpus} vCPUs and ${host.usedMemory} bytes of memory placed on it; move or delete its VMs first`,
        );
      }
      const client = await lockClient(tx.manager, host.uuid);
      const running = await tx.manager.find(TaskEntity, {
        where: { clientUuid: host.uuid, state: TaskState.Running },
        order: { seq: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      for (const task of running) {
        await this.outcomes.settle(tx, task, {
          state: TaskState.Failed,
          message: 'its host was deleted before its agent reported',
        });
      }
      await tx.manager.delete(HostEntity, { uuid: host.uuid });
      await tx.append({ type: HOST_STREAM, id: host.uuid }, host.version, [
        new HostDeleted({ uuid: host.uuid, cluster_uuid: host.clusterUuid, az_uuid: host.azUuid }),
      ]);
      if (client) {
        await tx.manager.update(
          ClientEntity,
          { uuid: client.uuid },
          { state: ClientState.Free, credentialHash: null, version: client.version + 1 },
        );
        await tx.append({ type: CLIENT_STREAM, id: client.uuid }, client.version, [
          new ClientReleased({ uuid: client.uuid, cluster_uuid: host.clusterUuid }),
        ]);
      }
    });
    return 1;
  }
}
