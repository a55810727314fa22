import { Injectable } from '@nestjs/common';
import type { Transaction } from '@chime/event-log';
import { In, type EntityManager } from 'typeorm';
import { assertIdle, ended, started } from '../../platform/domain/operations';
import { Ownership } from '../../platform/domain/ownership';
import { FailedPreconditionError, NotFoundError } from '../../platform/errors/domain-error';
import type { Actor } from '../../platform/http/request-context';
import type { HostSummary } from '../hosts/host.port';
import { ImagePort } from '../images/image.port';
import { StoragePoolType, VolumeState, type CreateVolumeRequest, type VolumeView } from './storage.contract';
import { VolumeEntity, VolumeRowEntity } from './storage.entity';
import { VolumeOperationFailed, VolumeOperationStarted, VolumeOperationSucceeded, VolumeUpdated } from './storage.events';
import { VOLUME_TABLE_ROWS } from './storage.store';
import { changeVolume, removeVolume } from './volume-lifecycle';
import { VolumeFactory, volumePayload, type PlannedVolume } from './volume-factory';
import { VolumeViews, type VolumeVmsProvider } from './volume-views';

export type { PlannedVolume } from './volume-factory';
export type { CreateVolumeRequest, VolumeView } from './storage.contract';
export { CreateVolumeDto } from './storage.dto';
export { VolumeViewSchema } from './storage.schemas';

/** What a node's agent needs to give a VM one of its volumes. */
export interface VolumeForAgent {
  uuid: string;
  root: 0 | 1;
  storage_pool_uuid: string;
  pool_type: number;
  backend_path: string;
  image_cache_path: string;
  size: number;
  format: string;
  install_path: string;
  image: { uuid: string; install_url: string; format: string; size: number } | null;
}

/** What the compute import needs of a volume it attaches (markAttachedOnImport). */
export interface VolumeOnImport {
  uuid: string;
  root: 0 | 1;
  imageUuid: string | null;
  clusterUuid: string;
  hostUuid: string;
  /** On a local pool: usable only on its host. */
  local: boolean;
}

/** Rebuilding a VM is the platform's doing: its root volume's image is read as an administrator reads it. */
const SYSTEM: Actor = { uuid: '', name: 'system', role: 3 };

/** Where a VM runs, for the volumes it is given. */
export interface VmPlace {
  vmUuid: string;
  azUuid: string;
  clusterUuid: string;
  host: HostSummary;
}

function forAgent(volume: VolumeEntity, planned?: PlannedVolume): VolumeForAgent {
  const payload = planned
    ? volumePayload(volume, planned)
    : { storage_pool_uuid: volume.storagePoolUuid, pool_type: volume.type, backend_path: '', image_cache_path: '', image: null };
  return {
    uuid: volume.uuid,
    root: volume.root,
    size: volume.size,
    format: volume.format,
    install_path: volume.installPath,
    ...payload,
  } as VolumeForAgent;
}

/**
 * What the compute module asks of storage (the storage module's export for that purpose): a VM's
 * volumes made with it, attached and detached, moved with it, and given back when it goes. All in
 * the caller's transaction, each change with its volume's event; a VM's volumes are in use (state
 * 2) while attached. The VM–volume relation itself is the compute module's.
 */
@Injectable()
export class StoragePort {
  constructor(
    private readonly factory: VolumeFactory,
    private readonly views: VolumeViews,
    private readonly images: ImagePort,
  ) {}

  /** Checks a VM's volume requests before it is placed (specs registered in the cluster, images, sizes) and that their pools have room now. */
  async plan(
    manager: EntityManager,
    actor: Actor,
    clusterUuid: string,
    requests: CreateVolumeRequest[],
  ): Promise<PlannedVolume[]> {
    const planned: PlannedVolume[] = [];
    for (const request of requests) planned.push(await this.factory.plan(manager, actor, clusterUuid, request));
    await this.factory.assertRoom(manager, planned);
    return planned;
  }

  /**
   * A VM's volumes on its host (state 0, `Creating#<request id>`, made by the VM's own task); their
   * pools are claimed by claimForVm, last in the caller's transaction.
   */
  async createForVm(tx: Transaction, actor: Actor, place: VmPlace, planned: PlannedVolume[]): Promise<VolumeForAgent[]> {
    const made: VolumeForAgent[] = [];
    for (const volume of planned) {
      const row = await this.factory.insert(tx, {
        actor,
        azUuid: place.azUuid,
        clusterUuid: place.clusterUuid,
        host: place.host,
        planned: volume,
      });
      made.push(forAgent(row, volume));
    }
    return made;
  }

  /**
   * Claims the pools of a VM's volumes: call it last in the transaction, just before the host's
   * claim (a pool's row stays locked from here to the commit, so concurrent creations take turns on
   * it only that long). A claim that does not fit rolls the whole VM back with a 400 naming the pool.
   */
  async claimForVm(tx: Transaction, planned: PlannedVolume[]): Promise<void> {
    // In one order of pools, so that two creations never wait on each other's pools.
    const ordered = [...planned].sort((a, b) => (a.pool.uuid < b.pool.uuid ? -1 : a.pool.uuid > b.pool.uuid ? 1 : 0));
    for (const volume of ordered) await this.factory.claim(tx.manager, volume);
  }

  /** The VM's creation ended: its volumes are in use, or failed with their claims given back. */
  async settleCreated(
    tx: Transaction,
    volumeUuids: string[],
    succeeded: boolean,
    taskUuid: string,
    finishedAt: Date,
  ): Promise<void> {
    for (const uuid of volumeUuids) {
      const volume = await VOLUME_TABLE_ROWS.findOne(tx.manager, { uuid }, { lock: true });
      if (!volume) continue;
      const changes: Partial<VolumeEntity> = {
        ...ended(succeeded, finishedAt),
        state: succeeded ? VolumeState.InUse : VolumeState.Failed,
      };
      if (!succeeded) {
        await tx.manager.query('UPDATE storage_pools SET used_size = used_size - $2 WHERE uuid = $1', [
          volume.storagePoolUuid,
          volume.size,
        ]);
      }
      await changeVolume(tx, volume, changes, (changed) =>
        succeeded
          ? new VolumeOperationSucceeded({ uuid, task_uuid: taskUuid, changes: changed })
          : new VolumeOperationFailed({
              uuid,
              task_uuid: taskUuid,
              message: 'the VM it was made for failed',
              released: volume.size,
              changes: changed,
            }),
      );
    }
  }

  /**
   * attachVolumeToVm: the caller's volume (404 otherwise), available and idle, in the VM's cluster,
   * and — on a local pool — on the VM's host. It is in use from now (`AttachingVolume#…`) until the
   * VM's task ends (attachSettled).
   */
  async attach(
    tx: Transaction,
    actor: Actor,
    volumeUuid: string,
    vm: { uuid: string; cluster_uuid: string; host_uuid: string },
  ): Promise<VolumeForAgent> {
    const volume = await VOLUME_TABLE_ROWS.findOne(tx.manager, { uuid: volumeUuid }, { lock: true });
    const notFound = () => NotFoundError.of('volume', volumeUuid);
    if (!volume) throw notFound();
    Ownership.assertMayChange(actor, volume.userUuid, notFound);
    assertIdle('volume', volume.uuid, volume.operation);
    if (volume.state !== VolumeState.Available) {
      throw new FailedPreconditionError(
        volume.state === VolumeState.InUse
          ? `volume ${volume.uuid} is attached to a VM already`
          : `volume ${volume.uuid} is not available`,
      );
    }
    if (volume.clusterUuid !== vm.cluster_uuid) {
      throw new FailedPreconditionError(
        `volume ${volume.uuid} is in cluster ${volume.clusterUuid}, the VM in cluster ${vm.cluster_uuid}`,
      );
    }
    if (volume.type === StoragePoolType.Local && volume.hostUuid !== vm.host_uuid) {
      throw new FailedPreconditionError(
        `volume ${volume.uuid} is on host ${volume.hostUuid}'s local storage; the VM runs on host ${vm.host_uuid}`,
      );
    }
    await changeVolume(
      tx,
      volume,
      { state: VolumeState.InUse, ...started('attach_volume', tx.metadata.request_id, new Date()) },
      (changed) => new VolumeUpdated({ uuid: volume.uuid, changes: changed }),
    );
    return forAgent(volume);
  }

  /** A VM's task about the volume ended (attach, detach): `inUse` says whether it is attached now. */
  async settleAttachment(
    tx: Transaction,
    volumeUuid: string,
    inUse: boolean,
    succeeded: boolean,
    finishedAt: Date,
  ): Promise<void> {
    const volume = await VOLUME_TABLE_ROWS.findOne(tx.manager, { uuid: volumeUuid }, { lock: true });
    if (!volume) return;
    await changeVolume(
      tx,
      volume,
      { ...ended(succeeded, finishedAt), state: inUse ? VolumeState.InUse : VolumeState.Available },
      (changed) => new VolumeUpdated({ uuid: volume.uuid, changes: changed }),
    );
  }

  /** detachVolumeFromVm: marks the volume busy (`DetachingVolume#…`) until the VM's task ends. */
  async startDetach(tx: Transaction, volumeUuid: string): Promise<VolumeForAgent> {
    const volume = await VOLUME_TABLE_ROWS.findOne(tx.manager, { uuid: volumeUuid }, { lock: true });
    if (!volume) throw NotFoundError.of('volume', volumeUuid);
    assertIdle('volume', volume.uuid, volume.operation);
    await changeVolume(
      tx,
      volume,
      started('detach_volume', tx.metadata.request_id, new Date()),
      (changed) => new VolumeOperationStarted({ uuid: volume.uuid, task_uuid: '', changes: changed }),
    );
    return forAgent(volume);
  }

  /** What an agent needs of volumes already made (a VM started, migrated, rebuilt). */
  async forAgent(manager: EntityManager, volumeUuids: string[]): Promise<VolumeForAgent[]> {
    if (volumeUuids.length === 0) return [];
    const volumes = await manager.find(VolumeEntity, { where: { uuid: In(volumeUuids) } });
    const byUuid = new Map(volumes.map((volume) => [volume.uuid, volume]));
    return volumeUuids.flatMap((uuid) => {
      const volume = byUuid.get(uuid);
      return volume ? [forAgent(volume)] : [];
    });
  }

  /** The VM moved (migrated, rebuilt): its volumes on local storage are on `host` now. */
  async moveTo(tx: Transaction, volumeUuids: string[], hostUuid: string): Promise<void> {
    for (const uuid of volumeUuids) {
      const volume = await VOLUME_TABLE_ROWS.findOne(tx.manager, { uuid }, { lock: true });
      if (!volume || volume.hostUuid === hostUuid) continue;
      await changeVolume(tx, volume, { hostUuid }, (changed) => new VolumeUpdated({ uuid, changes: changed }));
    }
  }

  /**
   * The VM is rebuilt on `hostUuid` because its host is unreachable (rebuildHost). Volumes on shared
   * pools (iSCSI, Ceph) follow it and are attached there as they are. On local storage: the root
   * volume is made again from its image on the new host (same pool, same size: the claim stays; its
   * data is lost), listed in `recreated`; any other local volume cannot be reached — it is failed
   * (state 10, its claim given back to its pool, VolumeOperationFailed) and listed in `lost`, for
   * the caller to detach. Returns what the new host's agent needs of the volumes that stay.
   */
  async rebuildOn(
    tx: Transaction,
    volumeUuids: string[],
    hostUuid: string,
  ): Promise<{ volumes: VolumeForAgent[]; recreated: string[]; lost: string[] }> {
    const volumes: VolumeForAgent[] = [];
    const recreated: string[] = [];
    const lost: string[] = [];
    for (const uuid of volumeUuids) {
      const volume = await VOLUME_TABLE_ROWS.findOne(tx.manager, { uuid }, { lock: true });
      if (!volume) continue;
      if (volume.type !== StoragePoolType.Local) {
        if (volume.hostUuid !== hostUuid) {
          await changeVolume(tx, volume, { hostUuid }, (changed) => new VolumeUpdated({ uuid, changes: changed }));
        }
        volumes.push(forAgent(volume));
      } else if (volume.root === 1) {
        const image = volume.imageUuid ? await this.images.forVolume(tx.manager, volume.imageUuid, SYSTEM) : null;
        await changeVolume(tx, volume, { hostUuid }, (changed) => new VolumeUpdated({ uuid, changes: changed }));
        volumes.push({
          ...forAgent(volume),
          image: image && { uuid: image.uuid, install_url: image.install_url, format: image.format, size: image.size },
        });
        recreated.push(uuid);
      } else {
        const released = volume.state === VolumeState.Failed ? 0 : volume.size;
        if (released > 0) {
          await tx.manager.query('UPDATE storage_pools SET used_size = used_size - $2 WHERE uuid = $1', [
            volume.storagePoolUuid,
            released,
          ]);
        }
        await changeVolume(
          tx,
          volume,
          { state: VolumeState.Failed, operation: '' },
          (changed) =>
            new VolumeOperationFailed({
              uuid,
              task_uuid: '',
              message: `on the local storage of host ${volume.hostUuid}, which is unreachable: lost when its VM was rebuilt elsewhere`,
              released,
              changes: changed,
            }),
        );
        lost.push(uuid);
      }
    }
    return { volumes, recreated, lost };
  }

  /**
   * The VM is gone (its `vm/delete` task succeeded, or it never came to be): its root volumes — all
   * of them with `deleteAll` — are removed with their claims given back; the others are available.
   */
  async releaseForVm(tx: Transaction, volumeUuids: string[], deleteAll: boolean): Promise<void> {
    for (const uuid of volumeUuids) {
      const volume = await VOLUME_TABLE_ROWS.findOne(tx.manager, { uuid }, { lock: true });
      if (!volume) continue;
      if (deleteAll || volume.root === 1 || volume.state !== VolumeState.InUse) {
        await removeVolume(tx, volume);
      } else {
        await changeVolume(
          tx,
          volume,
          { state: VolumeState.Available, operation: '' },
          (changed) => new VolumeUpdated({ uuid, changes: changed }),
        );
      }
    }
  }

  /**
   * `npm run import` (no Nest container there, hence static): these volumes are attached to an
   * imported VM, so an available one is in use (2) from now, with its VolumeUpdated; a failed one
   * stays failed (it claims nothing). Returns what the compute import needs of each, in the order
   * asked; a volume that is not there is an error (the import rolls back naming it).
   */
  static async markAttachedOnImport(tx: Transaction, volumeUuids: string[]): Promise<VolumeOnImport[]> {
    const found: VolumeOnImport[] = [];
    for (const uuid of volumeUuids) {
      const volume = await VOLUME_TABLE_ROWS.findOne(tx.manager, { uuid }, { lock: true });
      if (!volume) throw new Error(`volume ${uuid} is not imported`);
      if (volume.state === VolumeState.Available) {
        await changeVolume(tx, volume, { state: VolumeState.InUse }, (changed) => new VolumeUpdated({ uuid, changes: changed }));
      }
      found.push({
        uuid,
        root: volume.root,
        imageUuid: volume.imageUuid,
        clusterUuid: volume.clusterUuid,
        hostUuid: volume.hostUuid,
        local: volume.type === StoragePoolType.Local,
      });
    }
    return found;
  }

  /** How volumes show the VMs they are attached to (`attached_vms`); until told, `[]`. */
  describeAttachedVms(provider: VolumeVmsProvider): void {
    this.views.describeAttachedVms(provider);
  }

  /** These volumes as their VM shows them (in the order asked; missing ones left out; `attached_vms` empty). */
  async viewsOf(manager: EntityManager, volumeUuids: string[]): Promise<VolumeView[]> {
    if (volumeUuids.length === 0) return [];
    const rows = await manager.find(VolumeRowEntity, { where: { uuid: In(volumeUuids) } });
    const views = new Map((await this.views.list(manager, rows, false)).map((view) => [view.uuid, view]));
    return volumeUuids.flatMap((uuid) => views.get(uuid) ?? []);
  }
}
