import { useState } from 'react';
import { formatTime } from '../api';
import { type ChimeEvent, useLive } from '../live';
import { FilterBar } from '../ui';

/** Events as rows, each with its data and metadata one click away. */
export function EventRows({ caption, events }: { caption: string; events: ChimeEvent[] | undefined }) {
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Position</th>
          <th scope="col">Time</th>
          <th scope="col">Type</th>
          <th scope="col">Stream</th>
          <th scope="col">User</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {events === undefined ? (
          <tr>
            <td colSpan={6}>Loading…</td>
          </tr>
        ) : events.length === 0 ? (
          <tr>
            <td colSpan={6}>No events yet.</td>
          </tr>
        ) : (
          events.map((event) => (
            <tr key={event.position}>
              <td>{event.position}</td>
              <td>{formatTime(event.created_at)}</td>
              <td>{event.type}</td>
              <td>
                {event.stream_type} <code>{event.stream_id}</code> v{event.version}
              </td>
              <td>{event.metadata.user_name ?? ''}</td>
              <td>
                <details>
                  <summary>JSON</summary>
                  <pre>{JSON.stringify({ data: event.data, metadata: event.metadata }, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** The event log as it happens (administrators): the tab's stream, paused on demand, filtered by type and stream. */
export default function EventsPage() {
  const { recent, status } = useLive();
  const [paused, setPaused] = useState<typeof recent>();
  const [filters, setFilters] = useState<Record<string, string | boolean>>({ type: '', stream: '' });
  const shown = (paused ?? recent).filter(
    (event) =>
      event.type.toLowerCase().includes(String(filters.type).toLowerCase()) &&
      `${event.stream_type} ${event.stream_id}`.toLowerCase().includes(String(filters.stream).toLowerCase()),
  );
  return (
    <section>
      <header className="page-header">
        <h1>Event feed</h1>
        <button type="button" aria-pressed={paused !== undefined} onClick={() => setPaused(paused ? undefined : recent)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
      </header>
      <p>
        {status === 'live' ? 'Events appear as they are committed' : 'Connecting to the event stream…'}
        {paused ? ` — paused; ${recent.length - paused.length} new since` : ''}. This page shows the events since it opened (newest first, up to 200).
      </p>
      <FilterBar
        fields={[
          { name: 'type', label: 'Filter by type' },
          { name: 'stream', label: 'Filter by stream' },
        ]}
        values={filters}
        onChange={setFilters}
      />
      <EventRows caption="Events" events={shown} />
    </section>
  );
}
