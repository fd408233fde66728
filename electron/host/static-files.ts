import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/**
 * The file under `root` that a request path names, or null when it names anything outside it
 * (`..`, `%2e%2e%2f`, encoded backslashes, NUL) or cannot be decoded. `/` is `index.html`.
 */
export function resolveBundlePath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded === '' || decoded === '/') decoded = '/index.html';
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const absRoot = resolve(root);
  const full = resolve(absRoot, ...segments);
  const rel = relative(absRoot, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return full;
}

export interface StaticResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/** Reads one file of the bundle for a request path, with the bundle's security headers. */
export async function serveBundleFile(root: string, pathname: string, securityHeaders: Record<string, string>): Promise<StaticResponse> {
  const notFound: StaticResponse = {
    status: 404,
    headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
    body: 'Not found',
  };
  const path = resolveBundlePath(root, pathname);
  if (path === null) return notFound;
  const type = MIME[extname(path).toLowerCase()];
  if (type === undefined) return notFound;
  try {
    const body = await readFile(path);
    const cache = path.endsWith('.html') ? 'no-store' : 'max-age=31536000, immutable';
    return { status: 200, headers: { ...securityHeaders, 'Content-Type': type, 'Cache-Control': cache }, body };
  } catch {
    return notFound;
  }
}
