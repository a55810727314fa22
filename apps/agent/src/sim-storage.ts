import { type Handler, number, type SimNode, type SimVolume, text } from './sim-node';

function volumeOf(node: SimNode, uuid: string): SimVolume {
  const volume = node.volumes.get(uuid);
  if (!volume) throw new Error(`volume ${uuid} is not on this node`);
  return volume;
}

/**
 * Storage kinds of the sim driver (payloads written by the server's storage module). Each is
 * idempotent on the node's state: done twice, it ends the same.
 */
export const STORAGE_HANDLERS: Record<string, Handler> = {
  /** A volume in the pool's backend path, from an image (fetched into the image cache first) or empty. */
  'volume/create': (node, task) => {
    const size = number(task, 'size');
    const format = text(task, 'format');
    const backend = text(task, 'backend_path');
    const image = task.payload.image as { uuid?: unknown; install_url?: unknown } | null | undefined;
    if (image) {
      if (typeof image.uuid !== 'string' || typeof image.install_url !== 'string') throw new Error('image without uuid and install_url');
      if (!node.images.has(image.uuid)) node.images.set(image.uuid, { size: 0, checksum: '' });
    }
    const existing = node.volumes.get(task.resource_uuid);
    const install_path = existing?.install_path ?? `${backend.replace(/\/+$/, '')}/${task.resource_uuid}.${format}`;
    if (!existing) node.volumes.set(task.resource_uuid, { size, format, install_path, version: 0, snapshots: new Map() });
    return { install_path, format };
  },
  /** Gone from the node (a volume already gone is no error: the outcome is the same). */
  'volume/delete': (node, task) => {
    node.volumes.delete(task.resource_uuid);
  },
  /** The volume goes back to what a snapshot kept. */
  'volume/restore': (node, task) => {
    const volume = volumeOf(node, task.resource_uuid);
    const snapshot = text(task, 'snapshot_uuid');
    const version = volume.snapshots.get(snapshot);
    if (version === undefined) throw new Error(`snapshot ${snapshot} is not on volume ${task.resource_uuid}`);
    volume.version = version;
    return { volume_version: version };
  },
  'snapshot/create': (node, task) => {
    const volume = volumeOf(node, text(task, 'volume_uuid'));
    volume.snapshots.set(task.resource_uuid, number(task, 'volume_version'));
  },
  'snapshot/delete': (node, task) => {
    node.volumes.get(text(task, 'volume_uuid'))?.snapshots.delete(task.resource_uuid);
  },
};
