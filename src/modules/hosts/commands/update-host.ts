import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { changedFields } from '../../../platform/domain/changes';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import type { UpdateHostRequest } from '../host.contract';
import { HOST_STREAM, HostEntity } from '../host.entity';
import { HostUpdated } from '../host.events';
import { CLIENT_ROWS, lockHost, type HostPath } from '../host.store';
import { capacity } from '../../../platform/domain/capacity';
import { checkReservations } from './create-host';

export class UpdateHostCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly path: HostPath,
    readonly request: UpdateHostRequest,
  ) {
    super();
  }
}

/**
 * Changes a host's description, over-commit ratios and reservations. Its capacity never drops below
 * what is placed on it: a change that would is refused (400 FAILED_PRECONDITION).
 */
@CommandHandler(UpdateHostCommand)
export class UpdateHostHandler implements ICommandHandler<UpdateHostCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, path, request }: UpdateHostCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const host = await lockHost(tx.manager, path);
      const current = {
        description: host.description,
        cpu_ratio: host.cpuRatio,
        memory_ratio: host.memoryRatio,
        reserved_vcpus: host.reservedVcpus,
        reserved_memory: host.reservedMemory,
      };
      const changes = changedFields(current, request);
      const next = { ...current, ...changes };
      const node = await CLIENT_ROWS.findOne(tx.manager, { uuid: host.uuid });
      const [physicalVcpus, physicalMemory] = [node?.physicalVcpus ?? 0, node?.physicalMemory ?? 0];
      checkReservations(physicalVcpus, physicalMemory, next.reserved_vcpus, next.reserved_memory);
      const vcpus = capacity(physicalVcpus, next.cpu_ratio, next.reserved_vcpus);
      const memory = capacity(physicalMemory, next.memory_ratio, next.reserved_memory);
      if (vcpus < host.usedVcpus || memory < host.usedMemory) {
        throw new FailedPreconditionError(
          `the host would offer ${vcpus} vCPUs and ${memory} bytes of memory, less than the ${host.usedVcpus} vCPUs and ` +
            `${host.usedMemory} bytes placed on it`,
        );
      }
      await tx.manager.update(
        HostEntity,
        { uuid: host.uuid },
        {
          description: changes.description,
          cpuRatio: changes.cpu_ratio,
          memoryRatio: changes.memory_ratio,
          reservedVcpus: changes.reserved_vcpus,
          reservedMemory: changes.reserved_memory,
          version: host.version + 1,
        },
      );
      await tx.append({ type: HOST_STREAM, id: host.uuid }, host.version, [new HostUpdated({ uuid: host.uuid, changes })]);
    });
    return 'ok';
  }
}
