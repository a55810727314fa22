import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HostPort } from '../hosts/host.port';
import { TaskPort } from '../hosts/task.port';
import { ImagePort } from '../images/image.port';
import type { SnapshotView, VolumeView } from './storage.contract';
import { SnapshotRowEntity, type VolumeRowEntity } from './storage.entity';
import { toSnapshotView, toVolumeView } from './storage.view';

/** How many tasks getVolume and getSnapshot show, newest first. */
const RECENT_TASKS = 20;

/** Volumes and snapshots as the API shows them: with their hosts' and images' names (as they are now). */
@Injectable()
export class VolumeViews {
  constructor(
    private readonly hosts: HostPort,
    private readonly images: ImagePort,
    private readonly tasks: TaskPort,
  ) {}

  /** A page of volumes (no snapshots, no tasks: as ChimeStack's lists show them). */
  async list(manager: EntityManager, rows: VolumeRowEntity[]): Promise<VolumeView[]> {
    const hosts = await this.hosts.summaries(rows.map((row) => row.hostUuid), manager);
    const images = await this.images.names(rows.flatMap((row) => (row.imageUuid ? [row.imageUuid] : [])), manager);
    return rows.map((row) => {
      const host = hosts.get(row.hostUuid);
      return toVolumeView(row, {
        hostName: host?.name ?? '',
        hostIp: host?.manage_ip ?? '',
        imageName: row.imageUuid ? (images.get(row.imageUuid) ?? '') : '',
      });
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
