import { bundleHeaders, contentSecurityPolicy } from '../host/csp.ts';
import { serveBundleFile } from '../host/static-files.ts';
import { APP_HOST, APP_SCHEME } from './security.ts';

/** The window's CSP in Electron: like the web bridge's, but the page may connect nowhere. */
export const ELECTRON_CSP = contentSecurityPolicy({ connectSelf: false });

/**
 * Answers `app://metricdrop/<path>` with a file of the built renderer (`root`), with the CSP header;
 * any other host, a path outside the bundle (`..`, `%2e%2e%2f`, `..%2f`) or a missing file is 404.
 */
export async function handleAppRequest(root: string, request: { url: string; method: string }): Promise<Response> {
  const url = new URL(request.url);
  const headers = bundleHeaders(ELECTRON_CSP);
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) {
    return new Response('Not found', { status: 404, headers });
  }
  // Read the raw path: WHATWG URL parsing already removed plain `..`; encoded forms are decoded and refused here.
  const rawPath = request.url.slice(`${APP_SCHEME}://${APP_HOST}`.length).split(/[?#]/)[0] ?? '/';
  const file = await serveBundleFile(root, rawPath, headers);
  return new Response(file.status === 200 ? (file.body as Uint8Array<ArrayBuffer>) : String(file.body), {
    status: file.status,
    headers: file.headers,
  });
}
