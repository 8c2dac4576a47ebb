/**
 * Two pages, chosen by path: the landing page (`/`) and a wall (`/b/<id>`). The host and review
 * keys travel in the URL fragment (`#k=…`), which browsers never send to the server.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { isBoardId } from '@maillage/shared';
import { BoardPage } from './wall/BoardPage.tsx';
import { NotFound } from './join/NotFound.tsx';

// Creating a wall is the hosts' page: a participant opening a wall link never downloads it (R113).
const Landing = lazy(() => import('./join/Landing.tsx').then((m) => ({ default: m.Landing })));

function route(pathname: string): { page: 'landing' } | { page: 'board'; id: string } | { page: 'missing' } {
  if (pathname === '/' || pathname === '') return { page: 'landing' };
  const m = /^\/b\/([^/]+)\/?$/.exec(pathname);
  if (m && isBoardId(m[1])) return { page: 'board', id: m[1] as string };
  return { page: 'missing' };
}

export function App() {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const r = route(path);
  switch (r.page) {
    case 'landing':
      return (
        <Suspense fallback={null}>
          <Landing />
        </Suspense>
      );
    case 'board':
      return <BoardPage boardId={r.id} />;
    case 'missing':
      return <NotFound />;
  }
}
