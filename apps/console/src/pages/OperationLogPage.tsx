import { type Schema } from '@chime/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { canReadEvents, client, formatTime, type Owner } from '../api';
import { type Column, DataTable, Drawer, ErrorNote, type FieldSpec, FilterBar, ListPager, useListState } from '../ui';
import { EventRows } from './EventsPage';

type Entry = Schema<'OperationLog'>;

const ANY = { value: '', label: 'Any' };
const METHODS = [
  ANY,
  ...['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'IMPORT', 'MONITOR', 'TIMEOUT'].map((value) => ({ value, label: value })),
];
const OUTCOMES = [ANY, ...['success', 'denied', 'failed'].map((value) => ({ value, label: value }))];

/**
 * A `datetime-local` value ("2025-01-31T14:05") read as UTC, the zone every time on this screen is
 * shown in, as RFC 3339; undefined while empty or incomplete.
 */
function utcInputToRfc3339(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const time = new Date(`${value}Z`);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** The list's query with the form's time range as the server's filters (RFC 3339, UTC). */
function serverQuery({ from, to, ...query }: Record<string, unknown>): Record<string, unknown> {
  const range = { created_after: utcInputToRfc3339(from), created_before: utcInputToRfc3339(to) };
  return { ...query, ...Object.fromEntries(Object.entries(range).filter(([, value]) => value !== undefined)) };
}

/** The audit trail: who did what, when, and how it ended; a user sees only its own entries (the server decides). */
export default function OperationLogPage({ owner }: { owner: Owner }) {
  const list = useListState({ user_uuid: '', method: '', path_prefix: '', outcome: '', from: '', to: '' });
  const [openId, setOpenId] = useState<number>();
  const users = useQuery({
    queryKey: ['user', 'all'],
    queryFn: () => client.call('listUser', { params: { query: { size: 1000, sort: 'name', order: 'asc' } } }),
    enabled: owner.role >= 1,
  });
  const query = serverQuery(list.query);
  const { data, error } = useQuery({
    queryKey: ['operation_log', 'list', query],
    queryFn: () => client.call('listOperationLog', { params: { query: query as never } }),
    placeholderData: keepPreviousData,
  });
  const filters: FieldSpec[] = [
    { name: 'method', label: 'Filter by method', type: 'select', options: METHODS },
    { name: 'path_prefix', label: 'Filter by path prefix', hint: 'e.g. /v1/az' },
    { name: 'outcome', label: 'Filter by outcome', type: 'select', options: OUTCOMES },
    { name: 'from', label: 'From (UTC)', type: 'datetime-local' },
    { name: 'to', label: 'To (UTC)', type: 'datetime-local' },
  ];
  if (owner.role >= 1) {
    const options = (users.data?.elements ?? []).map((user) => ({ value: user.uuid, label: user.name }));
    filters.unshift({ name: 'user_uuid', label: 'Filter by user', type: 'select', options: [ANY, ...options] });
  }
  const columns: Column<Entry>[] = [
    { key: 'id', label: 'Id' },
    { key: 'created_at', label: 'Time', sortable: true, render: (e) => formatTime(e.created_at) },
    { key: 'user_name', label: 'User', render: (e) => e.user_name ?? '—' },
    { key: 'method', label: 'Method' },
    { key: 'path', label: 'Path' },
    { key: 'outcome', label: 'Outcome', render: (e) => <span className={`outcome-${e.outcome}`}>{e.outcome}</span> },
    { key: 'ip', label: 'Address' },
    { key: 'request_id', label: 'Request id', render: (e) => <code>{e.request_id}</code> },
  ];
  return (
    <section>
      <h1>Operation log</h1>
      <FilterBar fields={filters} values={list.filters} onChange={list.setFilters} />
      <ErrorNote error={error} />
      <DataTable
        caption="Operation log"
        columns={columns}
        rows={data?.elements}
        rowKey={(e) => String(e.id)}
        sort={list.sort}
        onSort={list.setSort}
        actions={(entry) => (
          <button type="button" onClick={() => setOpenId(entry.id)} aria-label={`Details of operation ${entry.id}`}>
            Details
          </button>
        )}
      />
      <ListPager list={list} data={data} />
      {openId !== undefined && <EntryDrawer id={openId} owner={owner} onClose={() => setOpenId(undefined)} />}
    </section>
  );
}

function EntryDrawer({ id, owner, onClose }: { id: number; owner: Owner; onClose: () => void }) {
  const { data, error } = useQuery({
    queryKey: ['operation_log', 'one', id],
    queryFn: () => client.call('getOperationLog', { params: { path: { id } } }),
  });
  const entry = data?.operation_log;
  return (
    <Drawer title={`Operation ${id}`} onClose={onClose}>
      <ErrorNote error={error} />
      {entry && (
        <dl className="details">
          <dt>Time</dt>
          <dd>{formatTime(entry.created_at)}</dd>
          <dt>User</dt>
          <dd>{entry.user_name ?? '—'}</dd>
          <dt>Request</dt>
          <dd>
            {entry.method} {entry.path}
          </dd>
          <dt>Outcome</dt>
          <dd>{entry.outcome}</dd>
          {entry.error && (
            <>
              <dt>Error</dt>
              <dd>
                {entry.error.code} {entry.error.status}: {entry.error.message}
              </dd>
            </>
          )}
          <dt>Address</dt>
          <dd>{entry.ip}</dd>
          <dt>Request id</dt>
          <dd>
            <code>{entry.request_id}</code>
          </dd>
          <dt>Input (passwords and tokens redacted by the server)</dt>
          <dd>
            <pre>{prettyJson(entry.input)}</pre>
          </dd>
        </dl>
      )}
      {/* The event log is for administrators (role ≥ 1); a user's drawer shows its own entry only. */}
      {entry && canReadEvents(owner) && <RequestEvents requestId={entry.request_id} />}
    </Drawer>
  );
}

/** Every event the request caused, and those consumers appended in reaction to them. */
function RequestEvents({ requestId }: { requestId: string }) {
  const { data, error } = useQuery({
    queryKey: ['operation_log', 'events', requestId],
    queryFn: () => client.call('listEvent', { params: { query: { request_id: requestId, limit: 1000 } } }),
  });
  return (
    <section aria-labelledby="request-events">
      <h3 id="request-events">Events of this request</h3>
      <ErrorNote error={error} />
      <EventRows caption="Events of this request" events={data?.elements} />
    </section>
  );
}

function prettyJson(text: string): string {
  if (text === '') return '(no body)';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
