import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { freshDatabase, withClient } from '../support/db.ts';
import { startGateway, type Gateway, type GatewayOptions } from './server.ts';

/** Helpers for tests that drive the test gateway with the real supabase-js. */

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
}

export interface TestClient {
  supabase: SupabaseClient;
  /** Every HTTP request supabase-js made, in order. */
  requests: RecordedRequest[];
}

/** A supabase-js client as the app builds it, recording its requests. */
export function testClient(gateway: Pick<Gateway, 'url' | 'anonKey'>, key = gateway.anonKey): TestClient {
  const requests: RecordedRequest[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    requests.push({ method: request.method, url: new URL(request.url), headers: request.headers });
    return await fetch(input, init);
  };
  const supabase = createClient(gateway.url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
    global: { fetch: recordingFetch },
  });
  return { supabase, requests };
}

export interface GatewayFixture {
  gateway: Gateway;
  databaseUrl: string;
  /** Runs SQL as the superuser in this test file's database. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/** A fresh database (bootstrap + migrations) with a gateway in front of it. */
export async function gatewayFixture(opts: Omit<GatewayOptions, 'databaseUrl'> = {}): Promise<GatewayFixture> {
  const db = await freshDatabase();
  const gateway = await startGateway({ databaseUrl: db.url, ...opts });
  return {
    gateway,
    databaseUrl: db.url,
    sql: async <T>(text: string, params: unknown[] = []) =>
      await withClient(db.url, async (c) => (await c.query(text, params)).rows as T[]),
  };
}

/** Raw HTTP to the gateway with the anon key unless headers say otherwise. */
export async function raw(
  gateway: Pick<Gateway, 'url' | 'anonKey'>,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; text: string; json: unknown }> {
  const headers: Record<string, string> = {
    apikey: gateway.anonKey,
    authorization: `Bearer ${gateway.anonKey}`,
    ...init.headers,
  };
  if (init.body !== undefined && !('content-type' in headers)) headers['content-type'] = 'application/json';
  const res = await fetch(`${gateway.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
