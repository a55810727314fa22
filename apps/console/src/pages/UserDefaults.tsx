import { useQuery, useQueryClient } from '@tanstack/react-query';
import { client } from '../api';
import { Fields, type FormValues } from '../ui';
import { useAllClusters, useAllZones } from './ClustersPage';

/** A user's default AZ and cluster (the signed-in user's own in Settings, anyone's for administrators). */
export function useUserDefault(userUuid: string) {
  return useQuery({
    queryKey: ['user', 'default', userUuid],
    queryFn: () => client.call('getUserDefault', { params: { path: { UserUuid: userUuid } } }),
  });
}

/** Saves a user's defaults; the server checks that the cluster is in the AZ and says so when it is not. */
export function useSaveUserDefault(userUuid: string) {
  const queries = useQueryClient();
  return async (values: FormValues) => {
    await client.call('updateUserDefault', {
      params: { path: { UserUuid: userUuid } },
      body: { az_uuid: String(values.az_uuid) || null, clusters_uuid: String(values.clusters_uuid) || null },
    });
    await queries.invalidateQueries({ queryKey: ['user', 'default', userUuid] });
  };
}

/** The AZ picker and the cluster picker, whose clusters are the picked AZ's; a new AZ clears the cluster. */
export function DefaultsFields({ values, onChange }: { values: FormValues; onChange: (values: FormValues) => void }) {
  const zones = useAllZones();
  const clusters = useAllClusters(String(values.az_uuid) || undefined);
  const none = { value: '', label: 'None' };
  const clusterOptions = values.az_uuid === '' ? [] : (clusters.data?.elements ?? []).map((c) => ({ value: c.uuid, label: c.name }));
  return (
    <Fields
      fields={[
        { name: 'az_uuid', label: 'Default availability zone', type: 'select', options: [none, ...(zones.data?.elements ?? []).map((az) => ({ value: az.uuid, label: az.name }))] },
        { name: 'clusters_uuid', label: 'Default cluster', type: 'select', options: [none, ...clusterOptions] },
      ]}
      values={values}
      onChange={(next) => onChange(next.az_uuid !== values.az_uuid ? { ...next, clusters_uuid: '' } : next)}
    />
  );
}

/** The form values of a loaded default ('' for none). */
export function defaultValues(loaded: { az_uuid: string | null; clusters_uuid: string | null } | undefined): FormValues {
  return { az_uuid: loaded?.az_uuid ?? '', clusters_uuid: loaded?.clusters_uuid ?? '' };
}
