/** The dashboard: one Apollo Client per session (a new sign-in never sees the last one's cache). */
import { ApolloProvider } from '@apollo/client/react';
import { StrictMode, useEffect, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { createSessionClient } from './apollo.ts';
import { AuthPage } from './pages/AuthPage.tsx';
import { Shell } from './Shell.tsx';
import { useSessionToken } from './session.ts';
import './styles.css';

function App() {
  const token = useSessionToken();
  const session = useMemo(() => createSessionClient(token), [token]);
  useEffect(() => () => session.close(), [session]);
  return <ApolloProvider client={session.client}>{token ? <Shell /> : <AuthPage />}</ApolloProvider>;
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
