/**
 * The Content-Security-Policy of the window, sent as a response header by both shells (Electron's
 * `app://` protocol and the web bridge). Scripts and styles only from the bundle; no inline code,
 * no eval, no plugins, no framing. `connect` is where the window may send requests: nowhere in
 * Electron (everything goes through IPC; the session lives in main), the bridge itself in web mode.
 */
export function contentSecurityPolicy(opts: { connectSelf: boolean }): string {
  const directives: [string, string][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self' data:"],
    ['font-src', "'self'"],
    ['connect-src', opts.connectSelf ? "'self'" : "'none'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-src', "'none'"],
    ['frame-ancestors', "'none'"],
    ['worker-src', "'none'"],
  ];
  return directives.map(([k, v]) => `${k} ${v}`).join('; ');
}

/** Headers every response of the window's bundle carries, in both shells. */
export function bundleHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
