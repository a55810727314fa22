import { type Schema } from '@chime/client';
import { formatTime } from '../api';
import { type FieldSpec, Fields, type FormValues } from '../ui';

/** How the Hosts screens show hosts, clients and tasks: states as badges, capacity in human units. */

export type Host = Schema<'Host'>;
export type Client = Schema<'Client'>;
export type Task = Schema<'Task'>;
export type Network = Schema<'Network'>;

/**
 * Heartbeats are not events (only changes of state are), so the lists are also refetched this often
 * while the screen is open and the tab visible: the last heartbeat and the inventory stay current.
 */
export const HOST_REFETCH_MS = 15_000;

/** `/host?az=…&cluster=…`: the address of a cluster's hosts (and, with a uuid, of one host's page). */
export const hostsHref = (azUuid: string, clusterUuid?: string, hostUuid?: string) =>
  `/host${hostUuid ? `/${hostUuid}` : ''}?${new URLSearchParams({ az: azUuid, ...(clusterUuid ? { cluster: clusterUuid } : {}) })}`;

export const HOST_STATES = ['disabled', 'enabled', 'suspended'] as const;
export const MONITOR_STATES = ['unreachable', 'reachable', 'error'] as const;
export const TASK_STATES = ['running', 'succeeded', 'failed'] as const;
export const NETWORK_TYPES = ['classical', 'VLAN', 'VXLAN'] as const;

export type Tone = 'ok' | 'bad' | 'warn' | 'neutral';

/** The badge colour of each state: good, bad, or worth a look. */
const TONES: Record<string, Tone> = {
  enabled: 'ok',
  disabled: 'neutral',
  suspended: 'warn',
  reachable: 'ok',
  unreachable: 'bad',
  error: 'warn',
  running: 'neutral',
  succeeded: 'ok',
  failed: 'bad',
};

/** A state in words and colour (the words carry the meaning; the colour only helps to spot it). */
export function StateBadge({ label, title, tone }: { label: string; title?: string; tone?: Tone }) {
  return (
    <span className={`state state-${tone ?? TONES[label] ?? 'neutral'}`} title={title || undefined}>
      {label}
    </span>
  );
}

export function MonitorBadge({ state, message }: { state: 0 | 1 | 2; message?: string }) {
  return <StateBadge label={MONITOR_STATES[state]} title={message} />;
}

const GIB = 1024 ** 3;
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 17179869184 → "16 GiB", 1610612736 → "1.5 GiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(value >= 100 || unit === 0 ? 0 : 1))} ${UNITS[unit]}`;
}

/** "0 / 14": placed of what may be placed. */
export const usedOf = (used: number, total: number, format: (n: number) => string = String) =>
  `${format(used)} / ${format(total)}`;

export function LastOperation({ host }: { host: Host }) {
  // Without any task the server still answers state 0: nothing to show then.
  if (!host.last_operation_name) return <>none</>;
  return (
    <>
      {host.last_operation_name} <StateBadge label={TASK_STATES[host.last_operation_state]} />
    </>
  );
}

export function LastHeartbeat({ at }: { at: string | null }) {
  return <>{at ? formatTime(at) : 'never'}</>;
}

/** The ratios and reservations a host is adopted with and edited by; memory in GiB, the API takes bytes. */
export const CAPACITY_FIELDS: FieldSpec[] = [
  { name: 'description', label: 'Description' },
  { name: 'cpu_ratio', label: 'CPU ratio', type: 'number', min: 0.01, step: 'any', hint: 'vCPUs offered per physical CPU' },
  { name: 'memory_ratio', label: 'Memory ratio', type: 'number', min: 0.01, step: 'any' },
  { name: 'reserved_vcpus', label: 'Reserved vCPUs', type: 'number', min: 0, hint: 'kept for the node itself' },
  { name: 'reserved_memory', label: 'Reserved memory (GiB)', type: 'number', min: 0, step: 'any' },
];

/**
 * What a host of `physical` offers: floor(physical × ratio) − reserved, never below 0, counted as the
 * server counts it (a product floating point leaves a hair below a whole number is that number).
 */
const offers = (physical: number, ratio: number, reserved: number) =>
  Math.max(0, Math.floor(physical * ratio * (1 + 1e-12)) - reserved);

export function capacityValues(
  host?: Pick<Host, 'description' | 'cpu_ratio' | 'memory_ratio' | 'reserved_vcpus' | 'reserved_memory'>,
): FormValues {
  return {
    description: host?.description ?? '',
    cpu_ratio: String(host?.cpu_ratio ?? 1),
    memory_ratio: String(host?.memory_ratio ?? 1),
    reserved_vcpus: String(host?.reserved_vcpus ?? 0),
    reserved_memory: String(Number(((host?.reserved_memory ?? 0) / GIB).toFixed(3))),
  };
}

/**
 * The request body from the form. With `initial`, only the fields the user changed (an edit: what is
 * left out stays as it is, so a reservation shown rounded to GiB is not rewritten).
 */
export function capacityBody(values: FormValues, initial?: FormValues) {
  const changed = (name: string) => !initial || values[name] !== initial[name];
  const number = (name: string) => (changed(name) ? Number(values[name]) : undefined);
  return {
    description: changed('description') ? String(values.description) : undefined,
    cpu_ratio: number('cpu_ratio'),
    memory_ratio: number('memory_ratio'),
    reserved_vcpus: number('reserved_vcpus'),
    reserved_memory: changed('reserved_memory') ? Math.round(Number(values.reserved_memory) * GIB) : undefined,
  };
}

/** The capacity fields and what the node would offer with them, updated as one types. */
export function CapacityFields({
  node,
  values,
  onChange,
}: {
  node: Pick<Client, 'physical_vcpus' | 'physical_memory'>;
  values: FormValues;
  onChange: (values: FormValues) => void;
}) {
  const vcpus = offers(node.physical_vcpus, Number(values.cpu_ratio), Number(values.reserved_vcpus));
  const memory = offers(node.physical_memory, Number(values.memory_ratio), Math.round(Number(values.reserved_memory) * GIB));
  return (
    <>
      <Fields fields={CAPACITY_FIELDS} values={values} onChange={onChange} />
      <p className="notice" aria-live="polite">
        The node has {node.physical_vcpus} CPUs and {formatBytes(node.physical_memory)}; it will offer {vcpus} vCPUs and{' '}
        {formatBytes(memory)} to VMs.
      </p>
    </>
  );
}
