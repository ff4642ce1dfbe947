import { useEffect, useState, type ComponentType } from 'react';
import { EngineBadge } from './components/EngineBadge';
import { AlertsBanner } from './docker/AlertsBanner';
import { Containers } from './pages/Containers';
import { Events } from './pages/Events';
import { Images } from './pages/Images';
import { Settings } from './pages/Settings';
import { Admission } from './pages/Admission';
import { Tiers } from './pages/Tiers';
import { ModeBadge } from './admission/ModeBadge';
import { Catalog } from './pages/Catalog';
import { Dashboard } from './pages/Dashboard';
import { History } from './pages/History';
import { connectStores } from './store/connect';
import { connectAdmission } from './store/admission-connect';
import { useLink } from './store/link';
import { useLive } from './store/live';

/** Pages by hash route; a new page is one line here. */
const PAGES: { path: string; title: string; component: ComponentType }[] = [
  { path: 'dashboard', title: 'Dashboard', component: Dashboard },
  { path: 'history', title: 'History', component: History },
  { path: 'catalog', title: 'Catalog', component: Catalog },
  { path: 'containers', title: 'Containers', component: Containers },
  { path: 'images', title: 'Images', component: Images },
  { path: 'events', title: 'Events', component: Events },
  { path: 'admission', title: 'Admission', component: Admission },
  { path: 'tiers', title: 'Tiers', component: Tiers },
  { path: 'settings', title: 'Settings', component: Settings },
];

const currentPath = () => location.hash.replace(/^#\/?/, '').split('/')[0] || PAGES[0]!.path;

export function App() {
  const [path, setPath] = useState(currentPath);
  // The container, health and image stores listen for the app's whole life, whichever page shows.
  useEffect(() => connectStores(), []);
  // The admission policy's mode shows in the header on every page.
  useEffect(() => connectAdmission(), []);
  useEffect(() => {
    const onHash = () => setPath(currentPath());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const link = useLink((s) => s.state);
  const status = useLive((s) => s.status);
  const error = useLive((s) => s.error);
  const Page = (PAGES.find((p) => p.path === path) ?? PAGES[0]!).component;

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">MLEnv</span>
        <nav>
          {PAGES.map((p) => (
            <a key={p.path} href={`#/${p.path}`} className={p.path === path ? 'active' : undefined}>
              {p.title}
            </a>
          ))}
        </nav>
        <span className="spacer" />
        {status && (
          <span className={`badge status-${status.level}`} data-testid="status-badge" title={status.reasons.join('\n') || 'All well'}>
            <span className="dot" />
            {status.level}
          </span>
        )}
        <ModeBadge />
        <EngineBadge />
      </header>
      {link === 'unauthorized' && (
        <div className="banner error" role="alert">
          This page needs the token MLEnv printed when it started: open the full address from its output (…/?token=…).
        </div>
      )}
      {link === 'closed' && (
        <div className="banner warning" role="status">
          Lost the connection to MLEnv; reconnecting…
        </div>
      )}
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      <AlertsBanner />
      <main>
        <Page />
      </main>
    </div>
  );
}
