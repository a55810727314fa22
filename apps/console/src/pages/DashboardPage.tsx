import { useQueries, useQuery } from '@tanstack/react-query';
import { canReadEvents, client, CLUSTER_TYPES, formatTime, type Owner, ROLE_NAMES } from '../api';
import { useLive } from '../live';
import { Link } from '../router';
import { ErrorNote } from '../ui';
import { useAllZones } from './ClustersPage';
import { EventRows } from './EventsPage';

/** Platform limits (API.md §5). */
const MAX_ZONES = 32;
const MAX_CLUSTERS_PER_ZONE = 32;

export default function DashboardPage({ owner }: { owner: Owner }) {
  return (
    <section>
      <h1>Dashboard</h1>
      <div className="cards">
        <Zones />
        <Clusters />
        {owner.role >= 1 && <Users />}
        {canReadEvents(owner) && <Consumers />}
      </div>
      <LastOperations />
      {owner.role >= 1 && <RecentFailures />}
      {canReadEvents(owner) && <LiveTail />}
    </section>
  );
}

function Zones() {
  const { data, error } = useAllZones();
  const zones = data?.elements ?? [];
  const enabled = zones.filter((az) => az.state === 1).length;
  return (
    <article className="card" aria-labelledby="dash-az">
      <h2 id="dash-az">Availability zones</h2>
      <ErrorNote error={error} />
      <p className="big">
        {data?.total ?? '…'} of {MAX_ZONES}
      </p>
      <p>
        {enabled} enabled, {zones.length - enabled} disabled
      </p>
    </article>
  );
}

function Clusters() {
  const zones = useAllZones().data?.elements ?? [];
  const lists = useQueries({
    queries: zones.map((az) => ({
      queryKey: ['cluster', 'all', az.uuid],
      queryFn: () => client.call('listCluster', { params: { path: { AzUuid: az.uuid }, query: { size: 100, sort: 'name', order: 'asc' } } }),
    })),
  });
  const clusters = lists.flatMap((list) => list.data?.elements ?? []);
  const enabled = clusters.filter((cluster) => cluster.state === 1).length;
  return (
    <article className="card" aria-labelledby="dash-cluster">
      <h2 id="dash-cluster">Clusters</h2>
      <p className="big">{clusters.length}</p>
      <p>
        {enabled} enabled, {clusters.length - enabled} disabled
      </p>
      <ul>
        {CLUSTER_TYPES.map((label, type) => (
          <li key={label}>
            {label}: {clusters.filter((cluster) => cluster.type === type).length}
          </li>
        ))}
      </ul>
      <ul aria-label="Clusters per availability zone">
        {zones.map((az, index) => (
          <li key={az.uuid}>
            {az.name}: {lists[index]?.data?.total ?? '…'} of {MAX_CLUSTERS_PER_ZONE}
          </li>
        ))}
      </ul>
    </article>
  );
}

function Users() {
  const counts = useQueries({
    queries: ROLE_NAMES.map((_, role) => ({
      queryKey: ['user', 'count', role],
      queryFn: () => client.call('listUser', { params: { query: { role: role as 0 | 1 | 2 | 3, size: 1 } } }),
    })),
  });
  return (
    <article className="card" aria-labelledby="dash-user">
      <h2 id="dash-user">Users by role</h2>
      <ul>
        {ROLE_NAMES.map((label, role) => (
          <li key={label}>
            {label}: {counts[role].data?.total ?? '…'}
          </li>
        ))}
      </ul>
    </article>
  );
}

function Consumers() {
  const { data, error } = useQuery({
    queryKey: ['dashboard', 'subscriptions'],
    queryFn: () => client.call('listEventSubscription'),
  });
  return (
    <article className="card" aria-labelledby="dash-consumers">
      <h2 id="dash-consumers">Event consumers</h2>
      <ErrorNote error={error} />
      <ul>
        {data?.elements.map((consumer) => (
          <li key={consumer.name} className={`consumer-${consumer.state}`}>
            {consumer.name}: {consumer.state}, at {consumer.last_position}
            {consumer.last_error ? ` — ${consumer.last_error}` : ''}
          </li>
        ))}
      </ul>
    </article>
  );
}

function LastOperations() {
  const { data, error } = useQuery({
    queryKey: ['operation_log', 'last'],
    queryFn: () => client.call('listOperationLog', { params: { query: { size: 10 } } }),
  });
  return (
    <article aria-labelledby="dash-ops">
      <h2 id="dash-ops">Last operations</h2>
      <ErrorNote error={error} />
      <ul className="plain">
        {data?.elements.map((entry) => (
          <li key={entry.id}>
            {formatTime(entry.created_at)} — {entry.user_name ?? 'anonymous'} {entry.method} {entry.path}{' '}
            <span className={`outcome-${entry.outcome}`}>{entry.outcome}</span>
          </li>
        ))}
      </ul>
      <Link to="/operation-log">All operations</Link>
    </article>
  );
}

const RECENT_FAILURES = 10;

/**
 * Refused requests, failed logins and failed changes, newest first, each with the error it was
 * answered: the server filters one outcome a request, so two lists merged.
 */
function RecentFailures() {
  const lists = useQueries({
    queries: (['denied', 'failed'] as const).map((outcome) => ({
      queryKey: ['operation_log', 'recent', outcome],
      queryFn: () => client.call('listOperationLog', { params: { query: { outcome, size: RECENT_FAILURES } } }),
    })),
  });
  const error = lists.find((list) => list.error)?.error;
  const loaded = lists.every((list) => list.data);
  // Ids increase with time: the newest of both lists are the highest ids.
  const entries = lists
    .flatMap((list) => list.data?.elements ?? [])
    .sort((a, b) => b.id - a.id)
    .slice(0, RECENT_FAILURES);
  return (
    <article aria-labelledby="dash-failures">
      <h2 id="dash-failures">Recent denied and failed attempts</h2>
      <ErrorNote error={error} />
      <ul className="plain" aria-labelledby="dash-failures">
        {!loaded ? <li>Loading…</li> : entries.length === 0 ? <li>None.</li> : null}
        {entries.map((entry) => (
          <li key={entry.id}>
            {formatTime(entry.created_at)} — {entry.user_name ?? `anonymous${triedName(entry.input)}`} {entry.method} {entry.path} from {entry.ip}{' '}
            <span className={`outcome-${entry.outcome}`}>{entry.outcome}</span>
            {entry.error && (
              <span title={entry.error.message}>
                {' '}
                {entry.error.code} {entry.error.status}
              </span>
            )}
          </li>
        ))}
      </ul>
    </article>
  );
}

/** A failed login's attempted user name, from its (redacted) input: " as bob", or nothing. */
function triedName(input: string): string {
  try {
    const name = (JSON.parse(input) as { user_name?: unknown }).user_name;
    return typeof name === 'string' ? ` as ${name}` : '';
  } catch {
    return '';
  }
}

function LiveTail() {
  const { recent } = useLive();
  return (
    <article aria-labelledby="dash-tail">
      <h2 id="dash-tail">Live tail</h2>
      <EventRows caption="Latest events" events={recent.slice(0, 10)} />
    </article>
  );
}
