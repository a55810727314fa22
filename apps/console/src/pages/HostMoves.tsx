import { type Operation } from '@chime/client';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client, formatTime } from '../api';
import { ErrorNote, FormDialog } from '../ui';
import { type Vm } from './compute-view';
import { type Host, StateBadge, TASK_STATES } from './host-view';
import { useHostChoices } from './VmForms';

type MoveKind = 'drain' | 'migrate' | 'rebuild';
const MOVE_KINDS: MoveKind[] = ['drain', 'migrate', 'rebuild'];

/**
 * drainHost, migrateHost, rebuildHost: sent by method and path (the compute module serves them under
 * the host's path), so that the console does not wait for a client regenerated with them.
 */
const MOVE_OPERATIONS: Record<MoveKind, Operation> = {
  drain: { method: 'PUT', path: '/v1/az/{AzUuid}/cluster/{ClusterUuid}/host/{HostUuid}/drain' },
  migrate: { method: 'PUT', path: '/v1/az/{AzUuid}/cluster/{ClusterUuid}/host/{HostUuid}/migrate' },
  rebuild: { method: 'PUT', path: '/v1/az/{AzUuid}/cluster/{ClusterUuid}/host/{HostUuid}/rebuild' },
};

const MOVE_TITLES: Record<MoveKind, string> = {
  drain: 'Drain',
  migrate: 'Migrate VMs',
  rebuild: 'Rebuild VMs',
};

/** The host's latest drain, migration or rebuild: a task the server carries out itself (server_side), in the host's tasks. */
const latestMove = (host: Host) => host.tasks.find((task) => (MOVE_KINDS as string[]).includes(task.operation_name));

/**
 * An administrator's moves of a host's VMs: drain (stop them all), migrate them (to a host picked or
 * the scheduler's choice per VM; local-disk VMs only when asked) and, for an unreachable host,
 * rebuild them elsewhere. One at a time per host; the progress follows below the buttons.
 */
export function HostMoveActions({ host }: { host: Host }) {
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<MoveKind>();
  const running = latestMove(host)?.state === 0;
  const path = { AzUuid: host.az_uuid, ClusterUuid: host.cluster_uuid, HostUuid: host.uuid };
  const send = async (kind: MoveKind, body: object) => {
    await client.sendTo(MOVE_OPERATIONS[kind], { params: { path }, body });
    await queries.invalidateQueries({ queryKey: ['host'] });
    await queries.invalidateQueries({ queryKey: ['vm'] });
  };
  return (
    <>
      <button type="button" disabled={running} onClick={() => setDialog('drain')}>
        Drain
      </button>
      <button type="button" disabled={running} onClick={() => setDialog('migrate')}>
        Migrate VMs
      </button>
      {/* The server rebuilds only the VMs of a host that is gone: while it is reachable, migrate them. */}
      {host.monitor_state !== 1 && (
        <button type="button" disabled={running} onClick={() => setDialog('rebuild')}>
          Rebuild VMs
        </button>
      )}
      {dialog === 'drain' && (
        <FormDialog
          title={`Drain ${host.name}`}
          fields={[]}
          initial={{}}
          submitLabel="Drain"
          warning={
            `Stop every running VM of ${host.name} (${host.vm_running_count} running)? Its agent stops them a few at a ` +
            'time; the progress shows on this page.'
          }
          onSubmit={() => send('drain', {})}
          onClose={() => setDialog(undefined)}
        />
      )}
      {(dialog === 'migrate' || dialog === 'rebuild') && (
        <MoveDialog host={host} kind={dialog} onSubmit={(body) => send(dialog, body)} onClose={() => setDialog(undefined)} />
      )}
    </>
  );
}

function MoveDialog({
  host,
  kind,
  onSubmit,
  onClose,
}: {
  host: Host;
  kind: 'migrate' | 'rebuild';
  onSubmit: (body: object) => Promise<void>;
  onClose: () => void;
}) {
  const hosts = useHostChoices(host.az_uuid, host.cluster_uuid, true, host.uuid);
  return (
    <FormDialog
      title={`${MOVE_TITLES[kind]} of ${host.name}`}
      fields={[
        {
          name: 'target_host_uuid',
          label: 'Target host',
          type: 'select',
          options: [{ value: '', label: 'Let the scheduler choose (per VM)' }, ...hosts],
          hint: 'Other enabled, reachable hosts of the cluster; each VM is still checked for room there.',
        },
        ...(kind === 'migrate'
          ? [
              {
                name: 'migrate_local_disk_vms',
                label: 'Also migrate VMs with volumes on local storage (migrate_local_disk_vms)',
                type: 'checkbox' as const,
                hint: 'Their volumes are copied; without it those VMs stay.',
              },
            ]
          : []),
      ]}
      initial={{ target_host_uuid: '', migrate_local_disk_vms: false }}
      submitLabel={kind === 'migrate' ? 'Migrate' : 'Rebuild'}
      warning={
        kind === 'migrate'
          ? `Move the ${host.vm_count} VM(s) of ${host.name} to other hosts (running ones live)?`
          : `Make the ${host.vm_count} VM(s) of ${host.name} again on other hosts? Volumes on shared pools are attached ` +
            "there; a root volume on local storage is made again from its image (its data is lost), other local volumes are failed."
      }
      onSubmit={(values) =>
        onSubmit({
          target_host_uuid: values.target_host_uuid ? String(values.target_host_uuid) : undefined,
          ...(kind === 'migrate' ? { migrate_local_disk_vms: values.migrate_local_disk_vms === true } : {}),
        })
      }
      onClose={onClose}
    />
  );
}

/**
 * The host's latest move as it goes: its task's state and, while it runs, how many of the host's VMs
 * are still to be handled (they follow the event stream); when it ended, its outcome and failures.
 */
export function HostMoveProgress({ host }: { host: Host }) {
  const task = latestMove(host);
  if (!task) return null;
  const vms = host.vms as Vm[];
  const left =
    task.operation_name === 'drain'
      ? `${vms.filter((vm) => vm.state === 1).length} of ${vms.length} VM(s) still running`
      : `${vms.length} VM(s) still on this host`;
  const busy = vms.filter((vm) => vm.operation !== '').length;
  return (
    <section aria-label="Move progress" className="notice subsection" aria-live="polite">
      <strong>{MOVE_TITLES[task.operation_name as MoveKind]}</strong> <StateBadge label={TASK_STATES[task.state]} />{' '}
      {task.state === 0 ? (
        <span>
          {left}
          {busy > 0 ? `, ${busy} being handled now` : ''} (started {formatTime(task.created_at)})
        </span>
      ) : (
        <span>
          finished {formatTime(task.finished_at)}; {left}
        </span>
      )}
      {task.message && <ErrorNote error={task.message} />}
    </section>
  );
}
