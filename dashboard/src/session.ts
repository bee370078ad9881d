/**
 * The signed-in session: a bearer token (`trs_…`) kept in localStorage so a reload stays signed in,
 * and the organization the person is looking at. The API has no cookies: the token travels in the
 * Authorization header (and the WebSocket's connection_init), which also makes every request
 * CSRF-safe. The page's CSP allows no third-party script, which is what protects the token.
 */
import { useSyncExternalStore } from 'react';

const TOKEN_KEY = 'trellis.session';
const ORG_KEY = 'trellis.org';

const listeners = new Set<() => void>();
function notify(): void {
  for (const listener of listeners) listener();
}
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function sessionToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function signIn(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
  notify();
}

export function signOut(): void {
  localStorage.removeItem(TOKEN_KEY);
  notify();
}

export function useSessionToken(): string | null {
  return useSyncExternalStore(subscribe, sessionToken);
}

export function selectedOrg(): string | null {
  return localStorage.getItem(ORG_KEY);
}

export function selectOrg(orgId: string): void {
  localStorage.setItem(ORG_KEY, orgId);
  notify();
}

export function useSelectedOrg(): string | null {
  return useSyncExternalStore(subscribe, selectedOrg);
}

// Another tab signing in or out applies here too.
window.addEventListener('storage', (event) => {
  if (event.key === TOKEN_KEY || event.key === ORG_KEY) notify();
});
