import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { AnyChannel, FileRef, Result } from '../../shared/ipc-contract.ts';
import { bundleHeaders, contentSecurityPolicy } from '../host/csp.ts';
import type { EventHub } from '../host/events.ts';
import { MAX_FILE_BYTES, safeFileName } from '../host/files.ts';
import { dispatch, type AnyHandler, type Logger } from '../host/result.ts';
import { serveBundleFile } from '../host/static-files.ts';

export const SECRET_HEADER = 'x-metricdrop-secret';
const MAX_JSON_BYTES = 1024 * 1024;

export interface BridgeOptions {
  handlers: Partial<Record<AnyChannel, AnyHandler>>;
  hub: EventHub;
  /** Registers a file the browser sent, once its bytes are on disk (in the engine host: a .zip is unpacked there). */
  registerFile(file: { path: string; name: string; bytes: number }): Promise<FileRef[]>;
  /** The built renderer (`dist-renderer/`). */
  staticRoot: string;
  /** Where files the browser uploads are written (kept, so an interrupted upload can resume). */
  incomingDir: string;
  /** Per-start secret every API request must carry. */
  secret: string;
  port?: number;
  /** The largest file the browser may send (the server's 50 MB limit). */
  maxFileBytes?: number;
  logger: Logger;
}

export interface Bridge {
  url: string;
  port: number;
  close(): Promise<void>;
}

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw new HttpRefusal(413, 'request too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpRefusal(400, 'request body is not JSON');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

/**
 * `npm run web`: the built renderer and the IPC contract over loopback HTTP.
 *
 * - listens on 127.0.0.1 only; a request whose Host is not this address and port is refused (DNS
 *   rebinding), and one whose Origin is another site is refused;
 * - `POST /ipc/<channel>` runs the same handlers as Electron main (input parsed by the contract) and
 *   answers the Result envelope; `POST /files?name=` stores the bytes of a file chosen in the
 *   browser and answers its token; `GET /events` streams upload progress (server-sent events);
 *   each needs the per-start secret in `x-metricdrop-secret`;
 * - everything else is a file of the bundle, served with the window's CSP.
 */
export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const csp = contentSecurityPolicy({ connectSelf: true });
  const headers = bundleHeaders(csp);
  let origin = '';
  let hosts: string[] = [];
  let origins: string[] = [];

  async function storeUpload(req: IncomingMessage, url: URL): Promise<Result<unknown>> {
    const name = safeFileName(url.searchParams.get('name') ?? '');
    if (name === null) {
      return { ok: false, error: { code: 'UNKNOWN_FORMAT', message: 'metricdrop reads .csv, .tsv, .txt, .xlsx and .zip exports.' } };
    }
    const max = opts.maxFileBytes ?? MAX_FILE_BYTES;
    const declared = Number(req.headers['content-length'] ?? '0');
    const tooLarge = {
      ok: false as const,
      error: {
        code: 'FILE_TOO_LARGE' as const,
        message: `"${name}" is larger than 50 MB, the most one upload may be. Export a shorter date range.`,
      },
    };
    if (declared > max) return tooLarge;
    const dir = join(opts.incomingDir, randomBytes(8).toString('hex'));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, name);
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > max) done(new HttpRefusal(413, 'too large'));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(req, limit, createWriteStream(path, { mode: 0o600 }));
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      if (err instanceof HttpRefusal) return tooLarge;
      throw err;
    }
    return { ok: true, value: await opts.registerFile({ path, name, bytes }) };
  }

  function streamEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const stop = opts.hub.listen((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(beat);
      stop();
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hosts.includes(req.headers.host ?? '')) throw new HttpRefusal(421, 'wrong host');
    const reqOrigin = req.headers.origin;
    if (reqOrigin !== undefined && !origins.includes(reqOrigin)) throw new HttpRefusal(403, 'cross-origin request refused');
    const url = new URL(req.url ?? '/', origin);
    const isApi = url.pathname.startsWith('/ipc/') || url.pathname === '/files' || url.pathname === '/events';

    if (isApi) {
      const given = req.headers[SECRET_HEADER];
      if (!sameSecret(typeof given === 'string' ? given : undefined, opts.secret)) {
        throw new HttpRefusal(401, 'This page needs the link printed by `npm run web`.');
      }
      if (url.pathname === '/events' && req.method === 'GET') return streamEvents(req, res);
      if (req.method !== 'POST') throw new HttpRefusal(405, 'method not allowed');
      if (url.pathname === '/files') return sendJson(res, 200, await storeUpload(req, url));
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        throw new HttpRefusal(415, 'expected application/json');
      }
      const channel = decodeURIComponent(url.pathname.slice('/ipc/'.length));
      const input = await readJson(req);
      return sendJson(res, 200, await dispatch(opts.handlers, channel, input, opts.logger));
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpRefusal(405, 'method not allowed');
    const file = await serveBundleFile(opts.staticRoot, url.pathname, headers);
    res.writeHead(file.status, file.headers);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      const status = err instanceof HttpRefusal ? err.status : 500;
      if (status === 500) opts.logger.error('web bridge request failed', { error: String(err) });
      if (!res.headersSent) sendJson(res, status, { error: err instanceof HttpRefusal ? err.message : 'internal error' });
      else res.end();
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  origins = hosts.map((h) => `http://${h}`);

  return {
    url: origin,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
