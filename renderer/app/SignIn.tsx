import { useEffect, useState, type FormEvent } from 'react';
import { SignInInput, type IpcError } from '../../shared/ipc-contract.ts';
import { Refusal } from '../controls.tsx';
import type { SessionModel } from './use-session.ts';

type Field = 'url' | 'anonKey' | 'email' | 'password';

export function SignIn(props: { model: SessionModel; onDone(): void }) {
  const { model } = props;
  const remembered = model.session?.remembered ?? null;
  const [form, setForm] = useState({ url: '', anonKey: '', email: '', password: '' });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (remembered)
      setForm((f) => ({
        ...f,
        url: f.url || remembered.url,
        anonKey: f.anonKey || remembered.anonKey,
        email: f.email || remembered.email,
      }));
  }, [remembered]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = SignInInput.safeParse(form);
    if (!parsed.success) {
      const errs: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] as Field | undefined;
        if (key && !errs[key]) errs[key] = issue.message;
      }
      setFieldErrors(errs);
      return;
    }
    setFieldErrors({});
    setBusy(true);
    const failure = await model.signIn(parsed.data);
    setBusy(false);
    setError(failure);
    if (!failure) props.onDone();
  }

  const field = (name: Field, label: string, type: string, hint?: string) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        name={name}
        type={type}
        value={form[name]}
        autoComplete={name === 'password' ? 'current-password' : name === 'email' ? 'username' : 'off'}
        spellCheck={false}
        aria-invalid={fieldErrors[name] ? true : undefined}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
      {fieldErrors[name] ? (
        <span className="field-error">{fieldErrors[name]}</span>
      ) : hint ? (
        <span className="field-hint">{hint}</span>
      ) : null}
    </label>
  );

  return (
    <main className="center-page">
      <form className="panel narrow" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to your agency's project</h1>
        <p className="muted">
          Validation works without an account. Signing in lets you see your clients, run dry runs on the server and upload.
        </p>
        {field('url', 'Project URL', 'url', 'From Project settings → API, e.g. https://abcd.supabase.co')}
        {field('anonKey', 'Anon (publishable) key', 'password', 'Never the service-role key')}
        {field('email', 'Email', 'email')}
        {field('password', 'Password', 'password')}
        {error && <Refusal error={error} />}
        {model.session?.secretStore === 'unavailable' && (
          <p className="alert warn">
            This computer has no secret store (keychain), so metricdrop will not keep you signed in after it closes.
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </main>
  );
}
