import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HostPort } from '../hosts/host.port';
import { TaskPort } from '../hosts/task.port';
import { ImagePort } from '../images/image.port';
import { VolumeState, type SnapshotView, type VolumeView } from './storage.contract';
import { SnapshotRowEntity, type VolumeRowEntity } from './storage.entity';
import { toSnapshotView, toVolumeView } from './storage.view';

/** How the compute module shows the VMs volumes are attached to (StoragePort.describeAttachedVms), by volume uuid. */
export type VolumeVmsProvider = (manager: EntityManager, volumeUuids: string[]) => Promise<Map<string, object[]>>;

/** How many tasks getVolume and getSnapshot show, newest first. */
const RECENT_TASKS = 20;

/** Volumes and snapshots as the API shows them: with their hosts' and images' names (as they are now). */
@Injectable()
export class VolumeViews {
  private attachedVms?: VolumeVmsProvider;

  constructor(
    private readonly hosts: HostPort,
    private readonly images: ImagePort,
    private readonly tasks: TaskPort,
  ) {}

  describeAttachedVms(provider: VolumeVmsProvider): void {
    this.attachedVms = provider;
  }

  /**
   * A page of volumes (no snapshots, no tasks: as ChimeStack's lists show them), with the VMs those
   * in use are attached to — unless shown inside their VM (`withVms` false).
   */
  async list(manager: EntityManager, rows: VolumeRowEntity[], withVms = true): Promise<VolumeView[]> {
    const hosts = await this.hosts.summaries(rows.map((row) => row.hostUuid), manager);
    const images = await this.images.names(rows.flatMap((row) => (row.imageUuid ? [row.imageUuid] : [])), manager);
    const inUse = rows.filter((row) => row.state === VolumeState.InUse).map((row) => row.uuid);
    const vms = withVms && this.attachedVms && inUse.length > 0 ? await this.attachedVms(manager, inUse) : new Map<string, object[]>();
    return rows.map((row) => {
      const host = hosts.get(row.hostUuid);
      return {
        ...toVolumeView(row, {
          hostName: host?.name ?? '',
          hostIp: host?.manage_ip ?? '',
          imageName: row.imageUuid ? (images.get(row.imageUuid) ?? '') : '',
        }),
        attached_vms: vms.get(row.uuid) ?? [],
      };
    });
  }

  /** One volume with its snapshots and its latest tasks (getVolume, restoreVolume). */
  async detail(manager: EntityManager, row: VolumeRowEntity): Promise<VolumeView> {
    // One after another: `manager` may be a transaction's, whose connection runs one query at a time.
    const [listed] = await this.list(manager, [row]);
    const snapshots = await manager.find(SnapshotRowEntity, {
      where: { volumeUuid: row.uuid },
      order: { createdAt: 'ASC', uuid: 'ASC' },
    });
    const tasks = await this.tasks.recent(manager, 'volume', row.uuid, RECENT_TASKS);
    return { ...listed, snapshots: snapshots.map((snapshot) => toSnapshotView(snapshot)), tasks };
  }

  /** One snapshot with its latest tasks (getSnapshot). */
  async snapshot(manager: EntityManager, row: SnapshotRowEntity): Promise<SnapshotView> {
    return toSnapshotView(row, await this.tasks.recent(manager, 'snapshot', row.uuid, RECENT_TASKS));
  }
}
