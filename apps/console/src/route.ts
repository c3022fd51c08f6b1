import { useEffect, useState } from 'react';

/** Pages are addressed by the URL's hash (`#/inbox`, `#/task/<id>`), so a reload or a link opens the same page. */
export type Route =
  | { page: 'inbox' }
  | { page: 'task'; id: string }
  | { page: 'sla' }
  | { page: 'stuck' }
  | { page: 'queues' }
  | { page: 'supervision' }
  | { page: 'calendars' }
  | { page: 'payments' };

export function parseRoute(hash: string): Route | null {
  const [, page, id] = hash.replace(/^#/, '').split('/');
  switch (page) {
    case 'task':
      return id ? { page: 'task', id } : null;
    case 'inbox':
    case 'sla':
    case 'stuck':
    case 'queues':
    case 'supervision':
    case 'calendars':
    case 'payments':
      return { page };
    default:
      return null;
  }
}

export function href(route: Route): string {
  return route.page === 'task' ? `#/task/${route.id}` : `#/${route.page}`;
}

export function useRoute(): Route | null {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
