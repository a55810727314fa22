import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Transaction } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { bytes, started } from '../../platform/domain/operations';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../../platform/errors/domain-error';
import type { Actor } from '../../platform/http/request-context';
import type { HostSummary } from '../hosts/host.port';
import { ImagePort, type ImageForVolume } from '../images/image.port';
import { perGib } from './iops';
import { StoragePoolState, VolumeState, type CreateVolumeRequest } from './storage.contract';
import { VOLUME_STREAM, type StoragePoolEntity, type VolumeEntity, type VolumeSpecEntity } from './storage.entity';
import { VolumeCreated } from './storage.events';
import { VOLUME_TABLE_ROWS } from './storage.store';
import { toVolumeState } from './storage.view';

/**
 * Claims `size` bytes of the pool in one statement: it succeeds only while the claim fits, and its
 * row lock makes concurrent claims on the pool take turns until each commits, so the pool is never
 * over-committed (100 concurrent claims that only fit 10 → 10 succeed). It also checks the pool is still
 * available and of the type the volume was made for (a pool's type changes only while it is empty).
 */
export async function claimPool(manager: EntityManager, poolUuid: string, size: number, type: number): Promise<boolean> {
  const [rows]: [unknown[]] = await manager.query(
    `UPDATE storage_pools SET used_size = used_size + $2, volume_count = volume_count + 1
      WHERE uuid = $1 AND state = ${StoragePoolState.Available} AND type = $3 AND used_size + $2 <= total_size
      RETURNING uuid`,
    [poolUuid, size, type],
  );
  return rows.length === 1;
}

/** Why a claim did not fit, naming the pool's free space. */
export async function poolRefusal(manager: EntityManager, poolUuid: string, size: number): Promise<FailedPreconditionError> {
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

export function poolMeta(meta: string): { backend_path: string; image_cache_path: string } {
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

export interface SpecForVolume {
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
export async function specForVolume(manager: EntityManager, specUuid: string, clusterUuid: string): Promise<SpecForVolume> {
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

/** A volume about to be made: its spec (registered in the cluster), pool and image checked. */
export interface PlannedVolume {
  request: CreateVolumeRequest;
  spec: SpecForVolume['spec'];
  pool: SpecForVolume['pool'];
  image: ImageForVolume | undefined;
}

/** What a node's agent needs to make a volume (a `volume/create` task's payload, or a VM's). */
export function volumePayload(volume: Pick<VolumeEntity, 'size' | 'format'>, planned: PlannedVolume) {
  const { pool, image } = planned;
  return {
    storage_pool_uuid: pool.uuid,
    pool_type: pool.type,
    ...poolMeta(pool.meta),
    size: volume.size,
    format: volume.format,
    image: image ? { uuid: image.uuid, install_url: image.install_url, format: image.format, size: image.size } : null,
  };
}

/**
 * How volumes are made, by createVolume and by createVm alike: the spec registered in the cluster,
 * the image visible and not larger than the volume, the row (state 0, `Creating#<request id>`) and
 * its event, and — last in the caller's transaction — the claim on the pool.
 */
@Injectable()
export class VolumeFactory {
  constructor(private readonly images: ImagePort) {}

  /** Checks a volume request (404 for an unknown spec or image, 400 when unregistered or too small). */
  async plan(manager: EntityManager, actor: Actor, clusterUuid: string, request: CreateVolumeRequest): Promise<PlannedVolume> {
    const { spec, pool, registered } = await specForVolume(manager, request.volume_spec_uuid, clusterUuid);
    if (!registered) {
      throw new FailedPreconditionError(`volume specification ${spec.uuid} is not registered in cluster ${clusterUuid}`);
    }
    const image = request.image_uuid ? await this.images.forVolume(manager, request.image_uuid, actor) : undefined;
    if (image && request.size < image.size) {
      throw new InvalidArgumentError(`size ${bytes(request.size)} is smaller than image ${image.uuid}: ${bytes(image.size)}`);
    }
    return { request, spec, pool, image };
  }

  /** 400 naming the pool's free space when these volumes' sizes do not fit their pools now. */
  async assertRoom(manager: EntityManager, planned: PlannedVolume[]): Promise<void> {
    const needs = new Map<string, { pool: PlannedVolume['pool']; size: number }>();
    for (const volume of planned) {
      const need = needs.get(volume.pool.uuid) ?? { pool: volume.pool, size: 0 };
      need.size += volume.request.size;
      needs.set(volume.pool.uuid, need);
    }
    for (const { pool, size } of needs.values()) {
      if (pool.state !== StoragePoolState.Available || pool.usedSize + size > pool.totalSize) {
        throw await poolRefusal(manager, pool.uuid, size);
      }
    }
  }

  /** Inserts the volume (state 0, `Creating#<request id>`) on `host`, with its VolumeCreated event. */
  async insert(
    tx: Transaction,
    input: { actor: Actor; azUuid: string; clusterUuid: string; host: HostSummary; planned: PlannedVolume; uuid?: string },
  ): Promise<VolumeEntity> {
    const { request, spec, pool, image } = input.planned;
    const now = new Date();
    const volume: VolumeEntity = {
      uuid: input.uuid ?? randomUUID(),
      name: request.name,
      description: request.description ?? '',
      userUuid: input.actor.uuid,
      azUuid: input.azUuid,
      clusterUuid: input.clusterUuid,
      hostUuid: input.host.uuid,
      storagePoolUuid: pool.uuid,
      volumeSpecUuid: request.volume_spec_uuid,
      imageUuid: image?.uuid ?? null,
      size: request.size,
      iops: perGib(spec.stepIops, spec.minIops, spec.maxIops, request.size),
      throughput: perGib(spec.stepThroughput, spec.minThroughput, spec.maxThroughput, request.size),
      format: 'qcow2',
      type: pool.type,
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
   * Claims the volume's size of its pool: call it last in the transaction (the pool's row stays
   * locked from here to the commit). If it does not fit now, a 400 naming the free space rolls
   * everything back.
   */
  async claim(manager: EntityManager, planned: PlannedVolume): Promise<void> {
    if (!(await claimPool(manager, planned.pool.uuid, planned.request.size, planned.pool.type))) {
      throw await poolRefusal(manager, planned.pool.uuid, planned.request.size);
    }
  }
}
