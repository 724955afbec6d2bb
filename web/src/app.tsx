/**
 * The shell: skip link, header with the navigation landmark, the current view, and the API key
 * prompt when the server asks for one (401). Focus moves to the view's heading on navigation.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiKey, onUnauthorized } from './api.js';
import { href, interceptLinkClick, useLocation, type Location } from './router.js';
import { Overview } from './views/overview.js';
import { Commitments } from './views/commitments.js';
import { Agenda } from './views/agenda.js';
import { CommitmentPage } from './views/commitment.js';
import { RecordView } from './views/record.js';
import { Audit } from './views/audit.js';
import { ExtractView } from './views/extract.js';
import { useTitle } from './hooks.js';

const NAV: Array<{ label: string; path: string }> = [
  { label: 'Overview', path: '/' },
  { label: 'Commitments', path: '/commitments' },
  { label: 'Agenda', path: '/agenda' },
  { label: 'Record', path: '/record' },
  { label: 'Extract', path: '/extract' },
  { label: 'Audit', path: '/audit' },
];

function isCurrent(navPath: string, loc: Location): boolean {
  if (navPath === '/') return loc.path === '/';
  return loc.path === navPath || loc.path.startsWith(`${navPath}/`);
}

function route(loc: Location) {
  const p = loc.path;
  if (p === '/') return <Overview query={loc.query} />;
  if (p === '/commitments') return <Commitments query={loc.query} />;
  if (p === '/agenda') return <Agenda query={loc.query} />;
  if (p === '/record') return <RecordView />;
  if (p === '/audit') return <Audit />;
  if (p === '/extract') return <ExtractView />;
  const m = /^\/commitments\/([^/]+)$/.exec(p);
  if (m && m[1]) return <CommitmentPage id={decodeURIComponent(m[1])} query={loc.query} />;
  return <NotFound />;
}

function NotFound() {
  useTitle('Not found');
  return (
    <>
      <h1 tabIndex={-1}>Not found</h1>
      <p>
        There is no such page. Go to the <a href={href('/')}>overview</a>.
      </p>
    </>
  );
}

export function KeyPrompt({ onDone }: { onDone: () => void }) {
  const [value, setValue] = useState('');
  useTitle('API key');
  return (
    <section aria-labelledby="key-h">
      <h1 id="key-h" tabIndex={-1}>
        API key required
      </h1>
      <p>This server asks for an API key. It is kept in this browser tab until you close it.</p>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!value.trim()) return;
          apiKey.set(value.trim());
          onDone();
        }}
      >
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          required
        />
        <button type="submit">Use this key</button>
      </form>
    </section>
  );
}

export function App() {
  const loc = useLocation();
  const [needKey, setNeedKey] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    const off = onUnauthorized(() => {
      apiKey.clear();
      setNeedKey(true);
    });
    document.addEventListener('click', interceptLinkClick);
    return () => {
      off();
      document.removeEventListener('click', interceptLinkClick);
    };
  }, []);

  // After a navigation (not the first load), move focus to the new view's heading.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h1 = mainRef.current?.querySelector('h1');
    if (h1) {
      if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
      h1.focus();
    }
  }, [loc.path]);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <a class="brand" href={href('/')}>
          Commitments Tracker
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.path}>
                <a href={href(n.path)} aria-current={isCurrent(n.path, loc) ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {!needKey && apiKey.get() !== null && (
          <button
            type="button"
            class="key-button"
            onClick={() => {
              apiKey.clear();
              setNeedKey(true);
            }}
          >
            Change API key
          </button>
        )}
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {needKey ? <KeyPrompt onDone={() => setNeedKey(false)} /> : route(loc)}
      </main>
    </>
  );
}
