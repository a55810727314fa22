import { createHash, randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Transaction } from '@chime/event-log';
import { State } from '@chime/contracts';
import type { EntityManager } from 'typeorm';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { ClusterPort } from '../../clusters/cluster.port';
import { HostPort, type HostSummary } from '../../hosts/host.port';
import { TaskPort } from '../../hosts/task.port';
import { ImagePort, type ImageForVolume } from '../../images/image.port';
import { bytes, started } from '../../../platform/domain/operations';
import { perGib } from '../iops';
import { Ownership } from '../../../platform/domain/ownership';
import { StoragePoolState, VolumeState, type CreateVolumeRequest, type VolumeView } from '../storage.contract';
import { VOLUME_STREAM, type StoragePoolEntity, type VolumeEntity, type VolumeSpecEntity } from '../storage.entity';
import { VolumeCreated } from '../storage.events';
import { VOLUME_TABLE_ROWS } from '../storage.store';
import { toVolumeState, toVolumeView } from '../storage.view';

export class CreateVolumeCommand extends Command<VolumeView> {
  constructor(
    readonly actor: Actor,
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly request: CreateVolumeRequest,
  ) {
    super();
  }
}

/**
 * Claims `size` bytes of the pool in one statement: it succeeds only while the claim fits, and its
 * row lock makes concurrent claims on the pool take turns until each commits, so the pool is never
 * over-committed (100 concurrent claims that only fit 10 → 10 succeed). It also checks the pool is still
 * available and of the type the volume was made for (a pool's type changes only while it is empty).
 */
async function claim(manager: EntityManager, poolUuid: string, size: number, type: number): Promise<boolean> {
  const [rows]: [unknown[]] = await manager.query(
    `UPDATE storage_pools SET used_size = used_size + $2, volume_count = volume_count + 1
      WHERE uuid = $1 AND state = ${StoragePoolState.Available} AND type = $3 AND used_size + $2 <= total_size
      RETURNING uuid`,
    [poolUuid, size, type],
  );
  return rows.length === 1;
}

/** Why a claim did not fit, naming the pool's free space. */
async function refusal(manager: EntityManager, poolUuid: string, size: number): Promise<FailedPreconditionError> {
  const [pool]: { state: number; free: string }[] = await manager.query(
    'SELECT state, total_size - used_size AS free FROM storage_pools WHERE uuid = $1',
    [poolUuid],
  );
  if (!pool) return new FailedPreconditionError(`storage pool ${poolUuid} is gone`);
  if (pool.state !== StoragePoolState.Available) return new FailedPreconditionError(`storage pool ${poolUuid} is unavailable`);
  return new FailedPreconditionError(
    `storage pool ${poolUuid} has ${bytes(Number(pool.free))} free; the volume needs ${bytes(size)}`,
  );
}

function poolMeta(meta: string): { backend_path: string; image_cache_path: string } {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(meta) as Record<string, unknown>;
  } catch {
    // An imported pool may carry anything; the defaults below stand in.
  }
  const path = (key: string, fallback: string) =>
    typeof parsed[key] === 'string' && parsed[key] ? (parsed[key] as string) : fallback;
  return { backend_path: path('backend_path', '/chime/backend'), image_cache_path: path('image_cache_path', '/chime/cache') };
}

interface SpecForVolume {
  spec: Pick<
    VolumeSpecEntity,
    | 'uuid'
    | 'name'
    | 'storagePoolUuid'
    | 'minIops'
    | 'maxIops'
    | 'stepIops'
    | 'minThroughput'
    | 'maxThroughput'
    | 'stepThroughput'
  >;
  pool: Pick<StoragePoolEntity, 'uuid' | 'name' | 'type' | 'state' | 'meta' | 'totalSize' | 'usedSize'>;
  registered: boolean;
}

/** The spec, its pool, and whether the spec is registered in the cluster: one round trip. 404 without the spec. */
async function specForVolume(manager: EntityManager, specUuid: string, clusterUuid: string): Promise<SpecForVolume> {
  const [row]: Record<string, string | number | boolean>[] = await manager.query(
    `SELECT s.uuid, s.name, s.storage_pool_uuid, s.min_iops, s.max_iops, s.step_iops,
            s.min_throughput::float8 AS min_throughput, s.max_throughput::float8 AS max_throughput,
            s.step_throughput::float8 AS step_throughput, p.name AS pool_name, p.type AS pool_type,
            p.state AS pool_state, p.meta AS pool_meta, p.total_size::float8 AS total_size, p.used_size::float8 AS used_size,
            EXISTS (SELECT 1 FROM cluster_volume_specs r WHERE r.cluster_uuid = $2 AND r.volume_spec_uuid = s.uuid) AS registered
       FROM volume_specs s JOIN storage_pools p ON p.uuid = s.storage_pool_uuid
      WHERE s.uuid = $1`,
    [specUuid, clusterUuid],
  );
  if (!row) throw NotFoundError.of('volume specification', specUuid);
  const n = (key: string) => Number(row[key]);
  return {
    spec: {
      uuid: String(row.uuid),
      name: String(row.name),
      storagePoolUuid: String(row.storage_pool_uuid),
      minIops: n('min_iops'),
      maxIops: n('max_iops'),
      stepIops: n('step_iops'),
      minThroughput: n('min_throughput'),
      maxThroughput: n('max_throughput'),
      stepThroughput: n('step_throughput'),
    },
    pool: {
      uuid: String(row.storage_pool_uuid),
      name: String(row.pool_name),
      type: n('pool_type'),
      state: n('pool_state'),
      meta: String(row.pool_meta),
      totalSize: n('total_size'),
      usedSize: n('used_size'),
    },
    registered: row.registered === true,
  };
}

/**
 * createVolume, in one transaction: the spec must be registered in the (enabled) cluster; the image,
 * if any, available and visible to the caller; the host, given or chosen, enabled and reachable; the
 * volume (state 0, `Creating#<request id>`) and a `volume/create` task for the host's agent; last,
 * its size claimed from the spec's pool. The task's outcome (storage-task-outcomes.ts) makes it
 * available, or failed with its claim released. Any refusal leaves nothing behind.
 */
@CommandHandler(CreateVolumeCommand)
export class CreateVolumeHandler implements ICommandHandler<CreateVolumeCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clusters: ClusterPort,
    private readonly hosts: HostPort,
    private readonly images: ImagePort,
    private readonly tasks: TaskPort,
  ) {}

  execute({ actor, azUuid, clusterUuid, request }: CreateVolumeCommand): Promise<VolumeView> {
    Ownership.assertMayCreate(actor);
    return this.uow.run(async (tx) => {
      const cluster = await this.clusters.get(azUuid, clusterUuid, tx.manager);
      if (cluster.state !== State.Enabled) {
        throw new FailedPreconditionError(`cluster ${clusterUuid} is disabled and accepts nothing new`);
      }
      const { spec, pool, registered } = await specForVolume(tx.manager, request.volume_spec_uuid, clusterUuid);
      if (!registered) {
        throw new FailedPreconditionError(`volume specification ${spec.uuid} is not registered in cluster ${clusterUuid}`);
      }
      const image = request.image_uuid ? await this.images.forVolume(tx.manager, request.image_uuid, actor) : undefined;
      if (image && request.size < image.size) {
        throw new InvalidArgumentError(`size ${bytes(request.size)} is smaller than image ${image.uuid}: ${bytes(image.size)}`);
      }
      const uuid = randomUUID();
      const host = request.host_uuid
        ? await this.hosts.forWork(tx.manager, clusterUuid, request.host_uuid)
        : await this.chooseHost(tx.manager, clusterUuid, spec.storagePoolUuid, uuid);
      if (pool.state !== StoragePoolState.Available || pool.usedSize + request.size > pool.totalSize) {
        throw await refusal(tx.manager, spec.storagePoolUuid, request.size);
      }
      const volume = await this.insert(tx, {
        uuid,
        actor,
        azUuid,
        clusterUuid,
        request,
        host,
        pool,
        image,
        iops: perGib(spec.stepIops, spec.minIops, spec.maxIops, request.size),
        throughput: perGib(spec.stepThroughput, spec.minThroughput, spec.maxThroughput, request.size),
      });
      await this.tasks.create(tx, {
        clientUuid: host.uuid,
        resourceType: 'volume',
        resourceUuid: uuid,
        operation: 'create',
        description: `create-volume-${uuid}`,
        payload: {
          storage_pool_uuid: pool.uuid,
          pool_type: pool.type,
          ...poolMeta(pool.meta),
          size: request.size,
          format: volume.format,
          image: image ? { uuid: image.uuid, install_url: image.install_url, format: image.format, size: image.size } : null,
        },
      });
      // The claim comes last, so the pool's row stays locked (claims on it take turns) only from here
      // to the commit. It decides: if it does not fit now, everything above rolls back.
      if (!(await claim(tx.manager, pool.uuid, request.size, pool.type))) {
        throw await refusal(tx.manager, spec.storagePoolUuid, request.size);
      }
      return toVolumeView(
        { ...volume, storagePoolName: pool.name, specName: spec.name },
        { hostName: host.name, hostIp: host.manage_ip, imageName: image?.name ?? '' },
      );
    });
  }

  private async insert(
    tx: Transaction,
    input: {
      uuid: string;
      actor: Actor;
      azUuid: string;
      clusterUuid: string;
      request: CreateVolumeRequest;
      host: HostSummary;
      pool: Pick<StoragePoolEntity, 'uuid' | 'type'>;
      image: ImageForVolume | undefined;
      iops: number;
      throughput: number;
    },
  ): Promise<VolumeEntity> {
    const { request } = input;
    const now = new Date();
    const volume: VolumeEntity = {
      uuid: input.uuid,
      name: request.name,
      description: request.description ?? '',
      userUuid: input.actor.uuid,
      azUuid: input.azUuid,
      clusterUuid: input.clusterUuid,
      hostUuid: input.host.uuid,
      storagePoolUuid: input.pool.uuid,
      volumeSpecUuid: request.volume_spec_uuid,
      imageUuid: input.image?.uuid ?? null,
      size: request.size,
      iops: input.iops,
      throughput: input.throughput,
      format: 'qcow2',
      type: input.pool.type,
      root: request.root ?? 0,
      cdrom: 0,
      installPath: '',
      state: VolumeState.Unavailable,
      dataVersion: 0,
      parentVersion: -1,
      snapshotCount: 0,
      ...started('create', tx.metadata.request_id, now),
      version: 1,
      createdAt: now,
    };
    await VOLUME_TABLE_ROWS.insert(tx.manager, volume);
    await tx.append({ type: VOLUME_STREAM, id: volume.uuid }, 0, [new VolumeCreated(toVolumeState(volume))]);
    return volume;
  }

  /**
   * The host a volume goes to when the request names none: of the cluster's hosts that take work,
   * the one whose volumes in this pool claim the fewest bytes (spread; ties broken by the volume's
   * uuid, so concurrent creations do not all pick the same one).
   */
  private async chooseHost(
    manager: EntityManager,
    clusterUuid: string,
    poolUuid: string,
    volumeUuid: string,
  ): Promise<HostSummary> {
    const candidates = await this.hosts.takingWork(manager, clusterUuid);
    if (candidates.length === 0) {
      throw new FailedPreconditionError(`no enabled, reachable host in cluster ${clusterUuid} to put the volume on`);
    }
    const usage: { host_uuid: string; used: string }[] = await manager.query(
      `SELECT host_uuid, sum(size) AS used FROM volumes WHERE storage_pool_uuid = $1 AND state <> ${VolumeState.Failed} GROUP BY host_uuid`,
      [poolUuid],
    );
    const used = new Map(usage.map((row) => [row.host_uuid, Number(row.used)]));
    const least = Math.min(...candidates.map((host) => used.get(host.uuid) ?? 0));
    const tied = candidates.filter((host) => (used.get(host.uuid) ?? 0) === least);
    const pick = createHash('sha256').update(volumeUuid).digest().readUInt32BE(0) % tied.length;
    const host = tied[pick];
    if (!host) throw new NotFoundError(`no host in cluster ${clusterUuid}`);
    return host;
  }
}
