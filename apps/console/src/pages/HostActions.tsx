import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../api';
import { ConfirmDialog, ErrorNote, FormDialog, type FormValues, RowButton } from '../ui';
import { CapacityFields, CAPACITY_FIELDS, capacityBody, capacityValues, type Host } from './host-view';

const STATE_ACTIONS = [
  { state: 1, label: 'Enable', operation: 'enableHost' },
  { state: 0, label: 'Disable', operation: 'disableHost' },
  { state: 2, label: 'Suspend', operation: 'suspendHost' },
] as const;

/**
 * An administrator's actions on one host (in its row and on its page): edit the ratios and
 * reservations, the state changes it is not in, delete. Errors are shown beside the buttons.
 */
export function HostActions({ host, onDeleted }: { host: Host; onDeleted?: () => void }) {
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<'edit' | 'delete'>();
  const [error, setError] = useState<unknown>();
  const path = { path: { AzUuid: host.az_uuid, ClusterUuid: host.cluster_uuid, HostUuid: host.uuid } };
  const refresh = () => queries.invalidateQueries({ queryKey: ['host'] });
  const setState = async (operation: (typeof STATE_ACTIONS)[number]['operation']) => {
    setError(undefined);
    try {
      await client.call(operation, { params: path });
      await refresh();
    } catch (failure) {
      setError(failure);
    }
  };
  const initial = capacityValues(host);
  return (
    <>
      <RowButton action="Edit" name={host.name} onClick={() => setDialog('edit')} />
      {STATE_ACTIONS.filter((action) => action.state !== host.state).map((action) => (
        <button
          key={action.operation}
          type="button"
          onClick={() => void setState(action.operation)}
          aria-label={`${action.label} ${host.name}`}
        >
          {action.label}
        </button>
      ))}
      <RowButton action="Delete" name={host.name} onClick={() => setDialog('delete')} />
      <ErrorNote error={error} />
      {dialog === 'edit' && (
        <FormDialog
          title={`Edit ${host.name}`}
          fields={CAPACITY_FIELDS}
          initial={initial}
          submitLabel="Save"
          renderFields={(values: FormValues, onChange) => <CapacityFields node={host} values={values} onChange={onChange} />}
          onSubmit={async (values) => {
            await client.call('updateHost', { params: path, body: capacityBody(values, initial) });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title={`Delete ${host.name}`}
          question={
            `Delete the host ${host.name}? Its node becomes a client waiting to be adopted again, and its agent's ` +
            'credential is revoked at once: the agent must enrol again.'
          }
          confirmLabel="Delete"
          onConfirm={async () => {
            await client.call('deleteHost', { params: path });
            // Leave the host's page first: refetched there, the host would only be a 404.
            onDeleted?.();
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </>
  );
}
