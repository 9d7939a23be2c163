import { useState, type FormEvent } from 'react';
import type { User } from '../api/model.ts';
import { login } from '../api/queries.ts';
import { describeError } from '../components/describe-error.ts';
import { Link } from '../router.tsx';

export function LoginPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const { user } = await login(email.trim(), password);
      onSignedIn(user);
    } catch (err) {
      setError(describeError(err));
      setPending(false);
    }
  }

  return (
    <main className="auth">
      <form className="card" data-testid="login-form" onSubmit={(e) => void submit(e)}>
        <h1>Log in to Handoff</h1>
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="login-email"
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </label>
        {error && (
          <p role="alert" className="error" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={pending} data-testid="login-submit">
          {pending ? 'Logging in…' : 'Log in'}
        </button>
        <p className="muted">
          New here? <Link to="/signup">Create an account</Link>
        </p>
      </form>
    </main>
  );
}
