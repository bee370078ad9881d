/** Signed out: sign in, create an account, ask for a password reset, or use a reset token. */
import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { ErrorNote } from '../components/states.tsx';
import {
  ForgotPasswordDocument,
  LoginDocument,
  RegisterDocument,
  ResetPasswordDocument,
} from '../generated/operations.ts';
import { signIn } from '../session.ts';

type Mode = 'login' | 'register' | 'forgot' | 'reset';

const TITLES: Record<Mode, string> = {
  login: 'Sign in',
  register: 'Create an account',
  forgot: 'Reset your password',
  reset: 'Choose a new password',
};

function fields(event: FormEvent<HTMLFormElement>): Record<string, string> {
  event.preventDefault();
  return Object.fromEntries([...new FormData(event.currentTarget)].map(([k, v]) => [k, String(v)]));
}

function LoginForm() {
  const [login, { loading, error }] = useMutation(LoginDocument);
  return (
    <form
      onSubmit={async (event) => {
        const { email = '', password = '' } = fields(event);
        const { data } = await login({ variables: { email, password } }).catch(() => ({ data: undefined }));
        if (data) signIn(data.login.token);
      }}
    >
      <label>
        Email <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <ErrorNote error={error} />
      <button type="submit" className="primary" disabled={loading}>
        Sign in
      </button>
    </form>
  );
}

function RegisterForm() {
  const [register, { loading, error }] = useMutation(RegisterDocument);
  return (
    <form
      onSubmit={async (event) => {
        const { email = '', password = '', name = '' } = fields(event);
        const { data } = await register({ variables: { input: { email, password, name: name || null } } }).catch(
          () => ({ data: undefined }),
        );
        if (data) signIn(data.register.token);
      }}
    >
      <label>
        Name <input name="name" autoComplete="name" />
      </label>
      <label>
        Email <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password (10 characters or more)
        <input name="password" type="password" autoComplete="new-password" minLength={10} required />
      </label>
      <ErrorNote error={error} />
      <button type="submit" className="primary" disabled={loading}>
        Create account
      </button>
    </form>
  );
}

function ForgotForm({ onSent }: { onSent(): void }) {
  const [forgot, { loading, error, data }] = useMutation(ForgotPasswordDocument);
  return (
    <form
      onSubmit={async (event) => {
        const { email = '' } = fields(event);
        await forgot({ variables: { email } }).catch(() => undefined);
      }}
    >
      <label>
        Email <input name="email" type="email" autoComplete="username" required />
      </label>
      <ErrorNote error={error} />
      {data ? (
        <p role="status">
          If an account uses this address, a reset link is on its way.{' '}
          <button type="button" className="link" onClick={onSent}>
            I have a reset token
          </button>
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={loading}>
        Send reset link
      </button>
    </form>
  );
}

function ResetForm({ onDone }: { onDone(): void }) {
  const [reset, { loading, error, data }] = useMutation(ResetPasswordDocument);
  const initialToken = new URLSearchParams(location.hash.split('?')[1] ?? '').get('token') ?? '';
  return (
    <form
      onSubmit={async (event) => {
        const { token = '', password = '' } = fields(event);
        await reset({ variables: { token, password } }).catch(() => undefined);
      }}
    >
      <label>
        Reset token <input name="token" defaultValue={initialToken} autoComplete="off" required />
      </label>
      <label>
        New password <input name="password" type="password" autoComplete="new-password" minLength={10} required />
      </label>
      <ErrorNote error={error} />
      {data ? (
        <p role="status">
          Password changed: every session was signed out.{' '}
          <button type="button" className="link" onClick={onDone}>
            Sign in
          </button>
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={loading}>
        Change password
      </button>
    </form>
  );
}

export function AuthPage() {
  const [mode, setMode] = useState<Mode>(location.hash.startsWith('#/reset') ? 'reset' : 'login');
  return (
    <main className="auth">
      <h1>Trellis</h1>
      <section className="card" aria-labelledby="auth-title">
        <h2 id="auth-title">{TITLES[mode]}</h2>
        {mode === 'login' && <LoginForm />}
        {mode === 'register' && <RegisterForm />}
        {mode === 'forgot' && <ForgotForm onSent={() => setMode('reset')} />}
        {mode === 'reset' && <ResetForm onDone={() => setMode('login')} />}
        <nav className="auth-switch" aria-label="Other ways in">
          {mode !== 'login' && (
            <button type="button" className="link" onClick={() => setMode('login')}>
              Sign in
            </button>
          )}
          {mode !== 'register' && (
            <button type="button" className="link" onClick={() => setMode('register')}>
              Create an account
            </button>
          )}
          {mode !== 'forgot' && (
            <button type="button" className="link" onClick={() => setMode('forgot')}>
              Forgot password?
            </button>
          )}
        </nav>
      </section>
    </main>
  );
}
