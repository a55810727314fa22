import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { canManageInfrastructure, canReadEvents, canReadHosts, type Owner, ROLE_NAMES } from './api';
import { setLiveStatus, startLiveStream, useLive } from './live';
import { LoginPage } from './pages/LoginPage';
import { Link, matchPath, navigate, usePath } from './router';
import { endSession, signOut, useSession } from './session';

// Every screen but the login page and the shell loads on demand: the first paint needs only these.
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const ZonesPage = lazy(() => import('./pages/ZonesPage'));
const ZonePage = lazy(() => import('./pages/ZonePage'));
const ClustersPage = lazy(() => import('./pages/ClustersPage'));
const HostsPage = lazy(() => import('./pages/HostsPage'));
const HostPage = lazy(() => import('./pages/HostPage'));
const StoragePage = lazy(() => import('./pages/StoragePage'));
const VolumesPage = lazy(() => import('./pages/VolumesPage'));
const SecurityGroupsPage = lazy(() => import('./pages/SecurityGroupsPage'));
const VolumePage = lazy(() => import('./pages/VolumePage'));
const VmsPage = lazy(() => import('./pages/VmsPage'));
const VmPage = lazy(() => import('./pages/VmPage'));
const NicsPage = lazy(() => import('./pages/NicsPage'));
const ImagesPage = lazy(() => import('./pages/ImagesPage'));
const UsersPage = lazy(() => import('./pages/UsersPage'));
const OperationLogPage = lazy(() => import('./pages/OperationLogPage'));
const EventsPage = lazy(() => import('./pages/EventsPage'));
const SettingsPage = lazy(() => import('./pages/SettingsPage'));
const ResourcePages = lazy(() => import('./pages/ResourcePages'));
const ResourceNav = lazy(() => import('./pages/ResourceNav'));

export function App() {
  const session = useSession();
  if (session.status === 'checking') return <p className="centered">Loading…</p>;
  if (session.status === 'signed-out') return <LoginPage notice={session.notice} />;
  return <Shell owner={session.owner} />;
}

/** Refresh strategy by role: the event stream for those who may read events, focus + 30 s polling for the others. */
function useLiveUpdates(owner: Owner): void {
  const queries = useQueryClient();
  useEffect(() => {
    if (!canReadEvents(owner)) {
      setLiveStatus('polling');
      queries.setDefaultOptions({
        ...queries.getDefaultOptions(),
        queries: { ...queries.getDefaultOptions().queries, refetchOnWindowFocus: true, refetchInterval: 30_000 },
      });
      return () => setLiveStatus('off');
    }
    const stop = startLiveStream(queries, (notice) => endSession(notice));
    return () => {
      stop();
      setLiveStatus('off');
    };
  }, [owner.uuid, owner.role, queries]);
  // Nothing of one user's session may show in the next one's.
  useEffect(() => () => queries.clear(), [owner.uuid, queries]);
}

function LiveBadge() {
  const { status } = useLive();
  const label = { live: 'Live', connecting: 'Connecting…', polling: 'Auto-refresh (30 s)', off: 'Offline' }[status];
  return (
    <span className={`badge badge-${status}`} role="status" title="Tables update by themselves; no Refresh button needed">
      {label}
    </span>
  );
}

const NAVIGATION: { to: string; label: string; visible?: (owner: Owner) => boolean }[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/az', label: 'Availability zones' },
  { to: '/cluster', label: 'Clusters' },
  { to: '/host', label: 'Hosts', visible: canReadHosts },
  { to: '/storage', label: 'Storage', visible: canReadHosts },
  { to: '/vm', label: 'VMs' },
  { to: '/volume', label: 'Volumes' },
  { to: '/nic', label: 'NICs' },
  { to: '/image', label: 'Images' },
  { to: '/securitygroup', label: 'Security groups' },
  { to: '/user', label: 'Users' },
  { to: '/operation-log', label: 'Operation log' },
  { to: '/event', label: 'Event feed', visible: canReadEvents },
  { to: '/settings', label: 'Settings' },
];

function Shell({ owner }: { owner: Owner }) {
  useLiveUpdates(owner);
  const path = usePath();
  const current = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));
  return (
    <div className="shell">
      <header className="topbar">
        <a className="skip" href="#main">
          Skip to content
        </a>
        <strong>ChimeStack</strong>
        <LiveBadge />
        <span className="who">
          {owner.name} ({ROLE_NAMES[owner.role]}), session until {new Date(owner.expired_at).toLocaleTimeString('en-GB')}
        </span>
        <button type="button" onClick={() => void signOut()}>
          Log out
        </button>
      </header>
      <nav className="sidebar" aria-label="Main">
        <ul>
          {NAVIGATION.filter((item) => !item.visible || item.visible(owner)).map((item) => (
            <li key={item.to}>
              <Link to={item.to} aria-current={current(item.to) ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
        <Suspense fallback={null}>
          <ResourceNav current={path} />
        </Suspense>
      </nav>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p>Loading…</p>}>
          <Screen path={path} owner={owner} />
        </Suspense>
      </main>
    </div>
  );
}

function Screen({ path, owner }: { path: string; owner: Owner }) {
  const manage = canManageInfrastructure(owner);
  let params: Record<string, string> | undefined;
  if (path === '/') return <DashboardPage owner={owner} />;
  if (path === '/az') return <ZonesPage manage={manage} />;
  if ((params = matchPath('/az/:uuid', path))) return <ZonePage uuid={params.uuid} owner={owner} />;
  if (path === '/cluster') return <ClustersPage owner={owner} />;
  if (path === '/host' && canReadHosts(owner)) return <HostsPage owner={owner} />;
  if ((params = matchPath('/host/:uuid', path)) && canReadHosts(owner)) return <HostPage uuid={params.uuid} owner={owner} />;
  if (path === '/storage' && canReadHosts(owner)) return <StoragePage owner={owner} />;
  if (path === '/volume') return <VolumesPage owner={owner} />;
  if (path === '/vm') return <VmsPage owner={owner} />;
  if ((params = matchPath('/vm/:uuid', path))) return <VmPage uuid={params.uuid} owner={owner} />;
  if (path === '/nic') return <NicsPage owner={owner} />;
  if (path === '/securitygroup') return <SecurityGroupsPage owner={owner} />;
  if ((params = matchPath('/volume/:uuid', path))) return <VolumePage uuid={params.uuid} owner={owner} />;
  if (path === '/image') return <ImagesPage owner={owner} />;
  if (path === '/user') return <UsersPage owner={owner} />;
  if (path === '/operation-log') return <OperationLogPage owner={owner} />;
  if (path === '/event' && canReadEvents(owner)) return <EventsPage />;
  if (path === '/settings') return <SettingsPage owner={owner} />;
  if ((params = matchPath('/resource/:name', path) ?? matchPath('/resource/:name/:id', path))) {
    return <ResourcePages name={params.name} id={params.id} owner={owner} />;
  }
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no page at {path}.{' '}
        <button type="button" className="link" onClick={() => navigate('/')}>
          Go to the dashboard
        </button>
      </p>
    </section>
  );
}
