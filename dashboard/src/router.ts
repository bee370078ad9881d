/** Hash routes (`#/workflows`): the gateway serves one page at `/`, and no path can shadow an API route. */
import { useSyncExternalStore } from 'react';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useRoute(): string {
  return useSyncExternalStore(subscribe, () => location.hash.replace(/^#\/?/, '').split('?')[0] || '');
}

export function navigate(route: string): void {
  location.hash = `#/${route}`;
}
