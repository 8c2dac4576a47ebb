/**
 * The first screen. What every page needs (React, the strings, the stylesheet) and the join
 * dialog are here; the pages themselves (App.tsx: the wall, the landing page) are a chunk of
 * their own. A participant link on a new device shows "who are you?" from this small entry and
 * fetches the wall while the person types (R185); any other page loads at once.
 */
import { lazy, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import './i18n/index.ts';
import './styles.css';
import { JoinHost } from './join/JoinHost.tsx';
import { joinFirst } from './join/joinFirst.ts';

const App = lazy(() => import('./App.tsx').then((m) => ({ default: m.App })));

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
const early = joinFirst();
// A wall path says what the wall page says while it connects; the landing page shows nothing.
function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('wall.loading')}
    </p>
  );
}
const fallback = window.location.pathname.startsWith('/b/') ? <Loading /> : null;
createRoot(root).render(
  <StrictMode>
    <JoinHost early={early} page={App} fallback={fallback} />
  </StrictMode>,
);
