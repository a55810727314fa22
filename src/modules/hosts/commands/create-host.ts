import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventStore, UnitOfWork, type Origin } from '@chime/event-log';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  LimitExceededError,
  NotFoundError,
} from '../../../platform/errors/domain-error';
import { ClusterPort } from '../../clusters/cluster.port';
import { CLIENT_STREAM, ClientEntity } from '../client.entity';
import { ClientState, HOST_LIMITS, HostState, MonitorState, type CreateHostRequest, type HostView } from '../host.contract';
import { HOST_STREAM, HostEntity } from '../host.entity';
import { ClientAdopted, HostCreated } from '../host.events';
import { findHostRow, HOST_ROWS, lockClient } from '../host.store';
import { toHostAggregate, toHostView } from '../host.view';
import { TaskPort } from '../task.port';

export class CreateHostCommand extends Command<HostView> {
  constructor(
    readonly origin: Origin,
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly request: CreateHostRequest,
  ) {
    super();
  }
}

/** Reservations a node can honour: no more than it has. */
export function checkReservations(physicalVcpus: number, physicalMemory: number, vcpus: number, memory: number): void {
  if (vcpus > physicalVcpus) {
    throw new InvalidArgumentError(`reserved_vcpus ${vcpus} is more than the node's ${physicalVcpus} physical vCPUs`);
  }
  if (memory > physicalMemory) {
    throw new InvalidArgumentError(`reserved_memory ${memory} is more than the node's ${physicalMemory} bytes of memory`);
  }
}

/**
 * Adopts a client into an enabled cluster as a host, and asks its agent to join the cluster (a
 * `host`/`create` task). The cluster stays locked until the commit (ClusterPort.lockForAddition):
 * adoptions into one cluster take turns, so at most 256 hosts hold under any concurrency, and the
 * cluster cannot be deleted meanwhile; the client's row lock makes two adoptions of one node take
 * turns too (the second finds it adopted).
 */
@CommandHandler(CreateHostCommand)
export class CreateHostHandler implements ICommandHandler<CreateHostCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clusters: ClusterPort,
    private readonly tasks: TaskPort,
    private readonly events: EventStore,
  ) {}

  execute({ origin, azUuid, clusterUuid, request }: CreateHostCommand): Promise<HostView> {
    return this.uow.run(origin, async (tx) => {
      const cluster = await this.clusters.lockForAddition(tx.manager, azUuid, clusterUuid);
      if ((await HOST_ROWS.count(tx.manager, { clusterUuid })) >= HOST_LIMITS.hostsPerCluster) {
        throw new LimitExceededError(`at most ${HOST_LIMITS.hostsPerCluster} hosts in one cluster`);
      }
      const client = await lockClient(tx.manager, request.uuid);
      if (!client) throw new NotFoundError(`client ${request.uuid} not found: no agent has enrolled with this uuid`);
      if (client.state === ClientState.Adopted) {
        const host = await HOST_ROWS.findOne(tx.manager, { uuid: client.uuid });
        throw new FailedPreconditionError(`client ${client.uuid} is already a host of cluster ${host?.clusterUuid ?? '?'}`);
      }
      if (client.credentialHash === null) {
        throw new FailedPreconditionError(`client ${client.uuid} has no valid credential: its agent must enrol again`);
      }
      if (client.monitorState === MonitorState.Unreachable) {
        throw new FailedPreconditionError(`client ${client.uuid} is unreachable: adopt it once its agent reports again`);
      }
      const reservedVcpus = request.reserved_vcpus ?? 0;
      const reservedMemory = request.reserved_memory ?? 0;
      checkReservations(client.physicalVcpus, client.physicalMemory, reservedVcpus, reservedMemory);
      // A node adopted before (its host deleted since) goes on with its host's stream: the uuid is the node's.
      const previous = (await this.events.readStream(HOST_STREAM, client.uuid, tx.manager)).at(-1)?.version ?? 0;
      const host: HostEntity = {
        uuid: client.uuid,
        azUuid,
        clusterUuid,
        description: request.description ?? '',
        state: HostState.Enabled,
        cpuRatio: request.cpu_ratio ?? 1,
        memoryRatio: request.memory_ratio ?? 1,
        reservedVcpus,
        reservedMemory,
        usedVcpus: 0,
        usedMemory: 0,
        version: previous + 1,
        createdAt: new Date(),
      };
      await tx.manager.insert(HostEntity, host);
      await tx.manager.update(ClientEntity, { uuid: client.uuid }, { state: ClientState.Adopted, version: client.version + 1 });
      await tx.append({ type: CLIENT_STREAM, id: client.uuid }, client.version, [
        new ClientAdopted({ uuid: client.uuid, cluster_uuid: clusterUuid }),
      ]);
      await tx.append({ type: HOST_STREAM, id: host.uuid }, previous, [new HostCreated(toHostAggregate(host))]);
      await this.tasks.create(tx, {
        clientUuid: client.uuid,
        resourceType: 'host',
        resourceUuid: host.uuid,
        operation: 'create',
        description: `create-host-${host.uuid}`,
        payload: {
          az_uuid: azUuid,
          cluster_uuid: clusterUuid,
          cpu_ratio: host.cpuRatio,
          memory_ratio: host.memoryRatio,
          reserved_vcpus: reservedVcpus,
          reserved_memory: reservedMemory,
        },
      });
      return toHostView(await findHostRow(tx.manager, { azUuid, clusterUuid, hostUuid: host.uuid }), cluster.name);
    });
  }
}
