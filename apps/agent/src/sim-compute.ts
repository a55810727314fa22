import type { AgentTask } from './driver';
import { type Handler, number, type SimDomain, type SimNode, text } from './sim-node';

interface DiskPayload {
  uuid?: unknown;
  target?: unknown;
  size?: unknown;
  format?: unknown;
  backend_path?: unknown;
  install_path?: unknown;
  image?: { uuid?: unknown } | null;
}

interface NicPayload {
  uuid?: unknown;
  mac?: unknown;
}

function domainOf(node: SimNode, uuid: string): SimDomain {
  const domain = node.domains.get(uuid);
  if (!domain) throw new Error(`VM ${uuid} is not on this node`);
  return domain;
}

function list<T>(task: AgentTask, field: string): T[] {
  const value = task.payload[field];
  if (!Array.isArray(value)) throw new Error(`payload without a list in ${field}`);
  return value as T[];
}

function disk(task: AgentTask): DiskPayload {
  const value = task.payload.volume as DiskPayload | undefined;
  if (!value || typeof value.uuid !== 'string') throw new Error('payload without volume.uuid');
  return value;
}

function nic(task: AgentTask): NicPayload {
  const value = task.payload.nic as NicPayload | undefined;
  if (!value || typeof value.uuid !== 'string') throw new Error('payload without nic.uuid');
  return value;
}

/** A volume made for a VM (a root volume from its image), in the node's pool, once. */
function makeVolume(node: SimNode, volume: DiskPayload): string {
  const uuid = String(volume.uuid);
  const existing = node.volumes.get(uuid);
  if (existing) return existing.install_path;
  if (volume.image && typeof volume.image.uuid === 'string' && !node.images.has(volume.image.uuid)) {
    node.images.set(volume.image.uuid, { size: 0, checksum: '' });
  }
  const format = typeof volume.format === 'string' ? volume.format : 'qcow2';
  const backend = typeof volume.backend_path === 'string' && volume.backend_path ? volume.backend_path : '/chime/backend';
  const install_path = `${backend.replace(/\/+$/, '')}/${uuid}.${format}`;
  node.volumes.set(uuid, {
    size: typeof volume.size === 'number' ? volume.size : 0,
    format,
    install_path,
    version: 0,
    snapshots: new Map(),
  });
  return install_path;
}

/** The next free console port of the node (5900 + n, as libvirt's autoport gives them). */
function vncPort(node: SimNode): number {
  const taken = new Set([...node.domains.values()].map((domain) => domain.vncPort));
  let port = 5900;
  while (taken.has(port)) port++;
  return port;
}

/**
 * Compute kinds of the sim driver (payloads written by the server's compute module): a VM is a
 * domain in memory with its disks and NICs. Each is idempotent on the node's state.
 */
export const COMPUTE_HANDLERS: Record<string, Handler> = {
  /** The VM's volumes made, its domain defined and started. */
  'vm/create': (node, task) => {
    const existing = node.domains.get(task.resource_uuid);
    if (existing) return { vnc_port: existing.vncPort };
    const disks = new Map<string, string>();
    for (const volume of list<DiskPayload>(task, 'volumes')) {
      makeVolume(node, volume);
      disks.set(String(volume.uuid), typeof volume.target === 'string' ? volume.target : '');
    }
    const nics = new Map(list<NicPayload>(task, 'nics').map((n) => [String(n.uuid), String(n.mac ?? '')]));
    const domain: SimDomain = {
      vcpus: number(task, 'vcpus'),
      memory: number(task, 'memory'),
      running: true,
      disks,
      nics,
      vncPort: vncPort(node),
    };
    node.domains.set(task.resource_uuid, domain);
    return { vnc_port: domain.vncPort };
  },
  'vm/start': (node, task) => {
    const domain = domainOf(node, task.resource_uuid);
    domain.running = true;
    return { vnc_port: domain.vncPort };
  },
  'vm/stop': (node, task) => {
    domainOf(node, task.resource_uuid).running = false;
  },
  /** The domain undefined; its volumes deleted as the payload says (a VM already gone is no error). */
  'vm/delete': (node, task) => {
    const domain = node.domains.get(task.resource_uuid);
    if (domain) for (const volume of domain.disks.keys()) node.volumes.delete(volume);
    node.domains.delete(task.resource_uuid);
  },
  'vm/attach_volume': (node, task) => {
    const volume = disk(task);
    domainOf(node, task.resource_uuid).disks.set(String(volume.uuid), typeof volume.target === 'string' ? volume.target : '');
  },
  'vm/detach_volume': (node, task) => {
    domainOf(node, task.resource_uuid).disks.delete(String(disk(task).uuid));
  },
  'vm/attach_nic': (node, task) => {
    const n = nic(task);
    domainOf(node, task.resource_uuid).nics.set(String(n.uuid), String(n.mac ?? ''));
  },
  'vm/detach_nic': (node, task) => {
    domainOf(node, task.resource_uuid).nics.delete(String(nic(task).uuid));
  },
  /** The VM taken over from its source host (live, when it runs): its local volumes copied here, its domain defined. */
  'vm/migrate': (node, task) => {
    text(task, 'source_host_uuid');
    const existing = node.domains.get(task.resource_uuid);
    if (existing) return { vnc_port: existing.vncPort };
    const local = new Set(list<string>(task, 'local_volumes'));
    const disks = new Map<string, string>();
    for (const volume of list<DiskPayload>(task, 'volumes')) {
      if (local.has(String(volume.uuid))) makeVolume(node, volume);
      disks.set(String(volume.uuid), typeof volume.target === 'string' ? volume.target : '');
    }
    const domain: SimDomain = {
      vcpus: number(task, 'vcpus'),
      memory: number(task, 'memory'),
      running: task.payload.live === true,
      disks,
      nics: new Map(list<NicPayload>(task, 'nics').map((n) => [String(n.uuid), String(n.mac ?? '')])),
      vncPort: vncPort(node),
    };
    node.domains.set(task.resource_uuid, domain);
    return { vnc_port: domain.vncPort };
  },
  /** Rebuilt here from the payload (its old host is unreachable): like a migration's arrival, its local volumes made anew. */
  'vm/rebuild': (node, task) => COMPUTE_HANDLERS['vm/migrate'](node, task),
  /** The VM moved away: its domain and its local volumes leave this node. */
  'vm/release': (node, task) => {
    for (const volume of list<string>(task, 'local_volumes')) node.volumes.delete(volume);
    node.domains.delete(task.resource_uuid);
  },
};
