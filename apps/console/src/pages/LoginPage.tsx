import { type FormEvent, useEffect, useState } from 'react';
import { isApiError, retryAfterSeconds } from '../api';
import { signIn } from '../session';
import { ErrorNote } from '../ui';

/** Sign-in: the server's 401 message, and a countdown when too many failed logins are throttled (429 + Retry-After). */
export function LoginPage({ notice }: { notice?: string }) {
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [waitUntil, setWaitUntil] = useState<number>();
  const secondsLeft = useCountdown(waitUntil);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(userName, password);
    } catch (failure) {
      setError(failure);
      const retryAfter = retryAfterSeconds();
      if (isApiError(failure, 429) && retryAfter) setWaitUntil(Date.now() + retryAfter * 1000);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to ChimeStack</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <div className="field">
          <label htmlFor="login-name">User name</label>
          <input id="login-name" autoComplete="username" required value={userName} onChange={(e) => setUserName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <ErrorNote error={error} />
        {secondsLeft > 0 && (
          <p className="warning" role="timer" aria-live="polite">
            Too many failed attempts: try again in {secondsLeft} s.
          </p>
        )}
        <button type="submit" disabled={busy || secondsLeft > 0}>
          Sign in
        </button>
      </form>
    </main>
  );
}

function useCountdown(until: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [until]);
  return until === undefined ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}
