import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp.ts';

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map(
      (d) =>
        d
          .trim()
          .split(/\s+(.*)/s)
          .slice(0, 2) as [string, string],
    ),
  );
}

describe('Content-Security-Policy', () => {
  for (const connectSelf of [false, true]) {
    it(`is restrictive (connectSelf=${connectSelf})`, () => {
      const csp = contentSecurityPolicy({ connectSelf });
      const d = directives(csp);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|http:/);
      expect(d.get('default-src')).toBe("'self'");
      expect(d.get('script-src')).toBe("'self'");
      expect(d.get('object-src')).toBe("'none'");
      expect(d.get('frame-ancestors')).toBe("'none'");
      expect(d.get('base-uri')).toBe("'none'");
      expect(d.get('connect-src')).toBe(connectSelf ? "'self'" : "'none'");
    });
  }
});
