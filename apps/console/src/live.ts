import { OPERATIONS, type Schema } from '@chime/client';
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { client } from './api';

export type ChimeEvent = Schema<'Event'>;

/** live: the event stream is open; polling: the role has no event access (focus + every 30 s); connecting: (re)opening. */
export type LiveStatus = 'connecting' | 'live' | 'polling' | 'off';

/** The newest events this tab has seen, newest first (the event feed and the dashboard's tail). */
const RECENT_LIMIT = 200;

interface LiveState {
  status: LiveStatus;
  recent: ChimeEvent[];
}

let state: LiveState = { status: 'off', recent: [] };
const listeners = new Set<() => void>();
function set(next: Partial<LiveState>): void {
  state = { ...state, ...next };
  listeners.forEach((listener) => listener());
}

export function useLive(): LiveState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

export function setLiveStatus(status: LiveStatus): void {
  set({ status, recent: status === 'off' ? [] : state.recent });
}

/**
 * The queries an event makes stale, by the stream it belongs to. The operation log is a projection
 * that follows every change (and the security stream), so it is refreshed on every event.
 */
export function queriesInvalidatedBy(event: Pick<ChimeEvent, 'stream_type'>): QueryKey[] {
  const keys: QueryKey[] = [['operation_log'], ['dashboard']];
  switch (event.stream_type) {
    case 'az':
      return [...keys, ['az'], ['cluster']];
    case 'cluster':
      return [...keys, ['cluster'], ['az']];
    case 'user':
      return [...keys, ['user']];
    case 'client':
    case 'host':
      // The Hosts screens: nodes, hosts and the cluster summary (heartbeats are no events: they also poll).
      return [...keys, ['host']];
    case 'task':
      // A host's, VM's, volume's or image's last operation and its tasks; tasks of other kinds belong to their modules' pages.
      return [...keys, ['host'], ['vm'], ['volume'], ['image'], ['resource']];
    case 'storage_pool':
    case 'volume_spec':
      // The Storage screen, the specs the volume form offers, and a host's page (its cluster's pools).
      return [...keys, ['storage'], ['host', 'one']];
    case 'volume':
    case 'snapshot':
      // Volumes claim their pools' capacity, which moves with them (no pool event says so).
      // A VM's page lists its volumes.
      return [...keys, ['volume'], ['storage'], ['host', 'one'], ['vm', 'one']];
    case 'network':
      // A host's page lists its cluster's networks; the networks' own pages are derived ones; forms pick subnets.
      return [...keys, ['host', 'one'], ['resource'], ['network']];
    case 'vm':
      // VMs claim their hosts' vCPUs and memory and hold volumes and NICs, which move with them.
      return [...keys, ['vm'], ['host'], ['volume'], ['nic']];
    case 'nic':
      return [...keys, ['nic'], ['vm']];
    case 'host_move':
      // A host's drain, migration or rebuild: its page shows the progress.
      return [...keys, ['host'], ['vm']];
    case 'image':
    case 'image_bucket':
      return [...keys, ['image']];
    case 'security_group':
      return [...keys, ['security_group']];
    case 'token':
    case 'security':
      return keys;
    default:
      // An extension module's resource: its derived pages are keyed by its stream type.
      return [...keys, ['resource']];
  }
}

interface StreamMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Splits a Server-Sent Events body into messages (comments, such as heartbeats, dropped). */
async function* readMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message: StreamMessage = { data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'id') message.id = value;
        else if (field === 'event') message.event = value;
      }
      if (data.length === 0 && message.event === undefined) continue;
      message.data = data.join('\n');
      yield message;
    }
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * The tab's one event stream: a fetch (EventSource cannot send the Authorization header, and the
 * token never goes into a URL), read as Server-Sent Events. Each event invalidates the queries it
 * makes stale; a dropped connection resumes after the last event seen (Last-Event-ID), and the
 * queries are refetched once since events may have been missed. It ends for good on 401/403 or the
 * server's `event: end` (the token stopped working): `onSessionEnd` then signs the tab out.
 * The path comes from the client's operation table, like every other call.
 */
export function startLiveStream(queries: QueryClient, onSessionEnd: (notice: string) => void): () => void {
  const stop = new AbortController();
  let lastEventId: string | undefined;
  const url = `${client.endpoint}${OPERATIONS.streamEvent.path}?after=now`;

  const run = async () => {
    let failures = 0;
    while (!stop.signal.aborted) {
      set({ status: 'connecting' });
      let response: Response;
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${client.token}` };
        if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
        response = await fetch(url, { headers, signal: stop.signal, cache: 'no-store' });
      } catch {
        if (stop.signal.aborted) return;
        await sleep(Math.min(30_000, 1000 * 2 ** failures++), stop.signal);
        continue;
      }
      if (response.status === 401) return onSessionEnd('Your session has ended. Please sign in again.');
      if (response.status === 403) return set({ status: 'polling' });
      if (!response.ok || !response.body) {
        const retryAfter = Number(response.headers.get('retry-after')) || 2 ** failures++;
        await sleep(Math.min(30_000, retryAfter * 1000), stop.signal);
        continue;
      }
      // Back after a gap: what changed meanwhile arrives as events, but refetching is cheaper to reason about.
      if (lastEventId !== undefined || failures > 0) void queries.invalidateQueries();
      failures = 0;
      set({ status: 'live' });
      try {
        for await (const message of readMessages(response.body)) {
          if (message.id) lastEventId = message.id;
          if (message.event === 'end') {
            const { reason } = JSON.parse(message.data) as { reason: string };
            if (reason === 'shutdown') break;
            // The role no longer reads events, but the token still works: fall back to polling.
            if (reason === 'permission_revoked') return set({ status: 'polling' });
            return onSessionEnd(endNotice(reason));
          }
          const event = JSON.parse(message.data) as ChimeEvent;
          set({ recent: [event, ...state.recent].slice(0, RECENT_LIMIT) });
          for (const queryKey of queriesInvalidatedBy(event)) void queries.invalidateQueries({ queryKey });
        }
      } catch {
        if (stop.signal.aborted) return;
      }
      await sleep(1000, stop.signal);
    }
  };
  void run();
  return () => stop.abort();
}

function endNotice(reason: string): string {
  switch (reason) {
    case 'token_revoked':
      return 'You were signed out (this session was logged out elsewhere).';
    case 'password_changed':
      return 'Your password was changed, which ends every session. Please sign in again.';
    case 'token_expired':
      return 'Your session has expired. Please sign in again.';
    case 'user_deleted':
      return 'Your user was deleted.';
    default:
      return `Your session has ended (${reason.replaceAll('_', ' ')}).`;
  }
}
