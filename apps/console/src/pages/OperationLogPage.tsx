import { type Schema } from '@chime/client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { client, formatTime, type Owner } from '../api';
import { type Column, DataTable, Drawer, ErrorNote, FilterBar, type FieldSpec, Pager, useListState } from '../ui';

type Entry = Schema<'OperationLog'>;

const METHODS = ['', 'GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map((value) => ({ value, label: value || 'Any' }));

/** The audit trail: who did what, when, and how it ended; a user sees only its own entries (the server decides). */
export default function OperationLogPage({ owner }: { owner: Owner }) {
  const list = useListState({ user_uuid: '', method: '', path: '' });
  const [openId, setOpenId] = useState<number>();
  const users = useQuery({
    queryKey: ['user', 'all'],
    queryFn: () => client.call('listUser', { params: { query: { size: 1000, sort: 'name', order: 'asc' } } }),
    enabled: owner.role >= 1,
  });
  const { data, error } = useQuery({
    queryKey: ['operation_log', 'list', list.query],
    queryFn: () => client.call('listOperationLog', { params: { query: list.query as never } }),
  });
  const filters: FieldSpec[] = [
    { name: 'method', label: 'Filter by method', type: 'select', options: METHODS },
    { name: 'path', label: 'Filter by path' },
  ];
  if (owner.role >= 1) {
    const options = (users.data?.elements ?? []).map((user) => ({ value: user.uuid, label: user.name }));
    filters.unshift({ name: 'user_uuid', label: 'Filter by user', type: 'select', options: [{ value: '', label: 'Any' }, ...options] });
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
      <Pager page={list.page} size={list.size} total={data?.total} shown={data?.size ?? 0} onPage={list.setPage} onSize={list.setSize} />
      {openId !== undefined && <EntryDrawer id={openId} onClose={() => setOpenId(undefined)} />}
    </section>
  );
}

function EntryDrawer({ id, onClose }: { id: number; onClose: () => void }) {
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
    </Drawer>
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
