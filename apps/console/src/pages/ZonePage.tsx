import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { canManageInfrastructure, canReadEvents, client, formatTime, type Owner, STATES } from '../api';
import { Link } from '../router';
import { ErrorNote } from '../ui';
import { ClusterList } from './ClustersPage';
import { EventRows } from './EventsPage';

/** One AZ: its fields, its clusters, and (for those who read events) its history. */
export default function ZonePage({ uuid, owner }: { uuid: string; owner: Owner }) {
  const [tab, setTab] = useState<'clusters' | 'history'>('clusters');
  const { data, error } = useQuery({
    queryKey: ['az', 'one', uuid],
    queryFn: () => client.call('getAz', { params: { path: { AzUuid: uuid } } }),
  });
  const az = data?.az;
  return (
    <section>
      <p>
        <Link to="/az">← Availability zones</Link>
      </p>
      <h1>Availability zone {az?.name ?? ''}</h1>
      <ErrorNote error={error} />
      {az && (
        <dl className="details">
          <dt>UUID</dt>
          <dd>
            <code>{az.uuid}</code>
          </dd>
          <dt>Description</dt>
          <dd>{az.description}</dd>
          <dt>State</dt>
          <dd>{STATES[az.state]}</dd>
          <dt>Parent</dt>
          <dd>{az.parent}</dd>
          <dt>Created</dt>
          <dd>{formatTime(az.created_at)}</dd>
        </dl>
      )}
      <div role="tablist" aria-label="Availability zone">
        <button type="button" role="tab" aria-selected={tab === 'clusters'} onClick={() => setTab('clusters')}>
          Clusters
        </button>
        {canReadEvents(owner) && (
          <button type="button" role="tab" aria-selected={tab === 'history'} onClick={() => setTab('history')}>
            History
          </button>
        )}
      </div>
      <div role="tabpanel">
        {tab === 'clusters' ? <ClusterList azUuid={uuid} manage={canManageInfrastructure(owner)} /> : <History uuid={uuid} />}
      </div>
    </section>
  );
}

function History({ uuid }: { uuid: string }) {
  const { data, error } = useQuery({
    queryKey: ['az', 'history', uuid],
    queryFn: () => client.call('listEvent', { params: { query: { stream_type: 'az', stream_id: uuid, limit: 1000 } } }),
  });
  return (
    <>
      <ErrorNote error={error} />
      <EventRows caption="History" events={data ? [...data.elements].reverse() : undefined} />
    </>
  );
}
