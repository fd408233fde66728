// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionInfo, SignInInput } from '../../shared/ipc-contract.ts';
import { fakeApi, type ApiScript } from '../../test/support/fake-api.ts';
import { ApiContext } from '../api/api-context.tsx';
import { SignIn } from './SignIn.tsx';
import { useSession } from './use-session.ts';

// The sign-in screen and the session model over a fake API: what the person sees for each answer.
const WS = '11111111-1111-4111-8111-111111111111';
const signedOut: SessionInfo = { remembered: null, user: null, online: true, secretStore: 'os' };
const signedIn: SessionInfo = {
  remembered: { url: 'https://abcd.supabase.co', anonKey: 'made-up-anon-key-for-this-test-0123456789', email: 'maya@agency.example' },
  user: { id: '22222222-2222-4222-8222-222222222222', email: 'maya@agency.example' },
  online: true,
  secretStore: 'os',
};

function Screen() {
  const model = useSession();
  if (model.session?.user) {
    return (
      <p>
        Signed in as {model.session.user.email}; workspaces: {model.workspaces.map((w) => w.name).join(', ')}
      </p>
    );
  }
  return <SignIn model={model} onDone={() => undefined} />;
}

function show(script: ApiScript) {
  render(
    <ApiContext.Provider value={fakeApi(script)}>
      <Screen />
    </ApiContext.Provider>,
  );
}

function fill(values: Partial<SignInInput>) {
  // Each label is its name, then a hint or an error.
  const names = { url: /^Project URL/, anonKey: /^Anon \(publishable\) key/, email: /^Email/, password: /^Password/ } as const;
  for (const [field, value] of Object.entries(values))
    fireEvent.change(screen.getByLabelText(names[field as keyof typeof names]), { target: { value } });
}

const good = {
  url: 'https://abcd.supabase.co',
  anonKey: 'made-up-anon-key-for-this-test-0123456789',
  email: 'maya@agency.example',
  password: 'correct horse',
};

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('signing in', () => {
  it('points at the field that is wrong and does not ask the project', async () => {
    const signIn = vi.fn();
    show({ session: { get: async () => ({ ok: true, value: signedOut }), signIn } });
    await screen.findByRole('heading', { name: "Sign in to your agency's project" });
    fill({ ...good, email: 'not an email' });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByLabelText(/^Email/).getAttribute('aria-invalid')).toBe('true'));
    expect(signIn).not.toHaveBeenCalled();
  });

  it("shows the project's refusal with its code, and lets the person try again", async () => {
    show({
      session: {
        get: async () => ({ ok: true, value: signedOut }),
        signIn: async () => ({ ok: false, error: { code: 'NOT_AUTHORIZED', message: 'The email or password is not right.' } }),
      },
    });
    await screen.findByRole('heading', { name: "Sign in to your agency's project" });
    fill(good);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const refusal = await screen.findByRole('alert');
    expect(refusal.textContent).toBe('NOT_AUTHORIZED The email or password is not right.');
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('once signed in, loads the workspaces the person belongs to', async () => {
    const signIn = vi.fn(async (_input: SignInInput) => ({ ok: true as const, value: signedIn }));
    show({
      session: { get: async () => ({ ok: true, value: signedOut }), signIn },
      workspaces: { list: async () => ({ ok: true, value: [{ id: WS, name: 'Northwind Media', role: 'member' as const }] }) },
      clients: { list: async () => ({ ok: true, value: [] }) },
    });
    await screen.findByRole('heading', { name: "Sign in to your agency's project" });
    fill(good);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByText(/Signed in as/)).textContent).toBe('Signed in as maya@agency.example; workspaces: Northwind Media');
    expect(signIn).toHaveBeenCalledWith(good);
  });

  it('warns when this computer cannot keep the session after metricdrop closes', async () => {
    show({ session: { get: async () => ({ ok: true, value: { ...signedOut, secretStore: 'unavailable' } }) } });
    expect((await screen.findByText(/no secret store/)).textContent).toMatch(/will not keep you signed in after it closes/);
  });
});
