import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { describeUniqueConstraint } from '../../../platform/database/database-errors';
import { FailedPreconditionError, NotFoundError } from '../../../platform/errors/domain-error';
import { HostPort, MonitorState } from '../../hosts/host.port';
import { TaskPort } from '../../hosts/task.port';
import { HOST_MOVE_STREAM, HostMoveEntity, HostMoveVmEntity, type HostMoveKind } from '../host-move.entity';
import { HostMoveStarted } from '../host-moves.events';
import { VmEntity } from '../vm.entity';

describeUniqueConstraint('host_moves_running_key', 'a drain, migration or rebuild of this host is running already');

export interface HostMovePath {
  azUuid: string;
  clusterUuid: string;
  hostUuid: string;
}

export class MoveHostCommand extends Command<{ host: 'ok' }> {
  constructor(
    readonly origin: Origin,
    readonly kind: HostMoveKind,
    readonly path: HostMovePath,
    readonly options: { targetHostUuid?: string; migrateLocalDiskVms?: boolean } = {},
  ) {
    super();
  }
}

/**
 * drainHost, migrateHost, rebuildHost: the request records the move (its VMs, in order), the host's
 * server-side task that shows its progress, and HostMoveStarted — in one transaction. The work is
 * the process manager's (HostMovesManager), which reacts to that event.
 */
@CommandHandler(MoveHostCommand)
export class MoveHostHandler implements ICommandHandler<MoveHostCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hosts: HostPort,
    private readonly tasks: TaskPort,
  ) {}

  async execute({ origin, kind, path, options }: MoveHostCommand): Promise<{ host: 'ok' }> {
    await this.uow.run(origin, async (tx) => {
      const host = (await this.hosts.summaries([path.hostUuid], tx.manager)).get(path.hostUuid);
      if (!host || host.az_uuid !== path.azUuid || host.cluster_uuid !== path.clusterUuid) {
        throw NotFoundError.of('host', path.hostUuid);
      }
      const unreachable = host.monitor_state === MonitorState.Unreachable;
      if (kind === 'rebuild' && !unreachable) {
        throw new FailedPreconditionError(
          `host ${host.uuid} is reachable: its VMs can be migrated (migrateHost); rebuild is for a host whose agent is unreachable`,
        );
      }
      if (kind !== 'rebuild' && unreachable) {
        throw new FailedPreconditionError(
          `host ${host.uuid} is unreachable: its agent cannot ${kind === 'drain' ? 'stop' : 'send'} its VMs; rebuild them elsewhere (rebuildHost)`,
        );
      }
      const target = options.targetHostUuid ?? '';
      if (target === host.uuid) throw new FailedPreconditionError(`the target is host ${host.uuid} itself`);
      if (target) {
        const found = (await this.hosts.summaries([target], tx.manager)).get(target);
        if (!found || found.cluster_uuid !== host.cluster_uuid) {
          throw new NotFoundError(`target host ${target} not found in cluster ${host.cluster_uuid}`);
        }
      }
      // The task takes the node's row lock: requests for one host queue here, so the check below sees a move committed meanwhile.
      const task = await this.tasks.track(tx, {
        clientUuid: host.uuid,
        resourceType: 'host',
        resourceUuid: host.uuid,
        operation: kind,
        description: `${kind}-host-${host.uuid}`,
        payload: { target_host_uuid: target, migrate_local_disk_vms: options.migrateLocalDiskVms === true },
      });
      const running = await tx.manager.findOne(HostMoveEntity, { where: { hostUuid: host.uuid, state: 'running' } });
      if (running) {
        throw new FailedPreconditionError(`a ${running.kind} of host ${host.uuid} is running already (task ${running.taskUuid})`);
      }
      const vms = await tx.manager.find(VmEntity, {
        where: { hostUuid: host.uuid },
        order: { createdAt: 'ASC', uuid: 'ASC' },
        select: { uuid: true },
      });
      const now = new Date();
      const move: HostMoveEntity = {
        uuid: randomUUID(),
        hostUuid: host.uuid,
        clusterUuid: host.cluster_uuid,
        kind,
        targetHostUuid: target,
        migrateLocalDiskVms: options.migrateLocalDiskVms === true,
        taskUuid: task.uuid,
        state: 'running',
        total: vms.length,
        succeeded: 0,
        failed: 0,
        skipped: 0,
        version: 1,
        createdAt: now,
        finishedAt: null,
      };
      await tx.manager.insert(HostMoveEntity, move);
      if (vms.length > 0) {
        await tx.manager.insert(
          HostMoveVmEntity,
          vms.map((vm, position) => ({
            moveUuid: move.uuid,
            vmUuid: vm.uuid,
            position,
            state: 'pending' as const,
            taskUuid: '',
            targetHostUuid: '',
            message: '',
          })),
        );
      }
      await tx.append({ type: HOST_MOVE_STREAM, id: move.uuid }, 0, [
        new HostMoveStarted({
          uuid: move.uuid,
          host_uuid: move.hostUuid,
          cluster_uuid: move.clusterUuid,
          kind,
          target_host_uuid: target,
          migrate_local_disk_vms: move.migrateLocalDiskVms,
          task_uuid: task.uuid,
          created_at: now.toISOString(),
          vm_uuids: vms.map((vm) => vm.uuid),
        }),
      ]);
    });
    return { host: 'ok' };
  }
}
