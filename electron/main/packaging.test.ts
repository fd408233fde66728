import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without types
import { electronBinary } from '../../scripts/start.mjs';

/**
 * What electron-builder is told (electron-builder.yml). Reading the fuses back from a packaged app
 * (`npx @electron/fuses read --app …`) needs the Electron binary for the target; where it is
 * missing, that check does not run here and this file says so.
 */
const yml = readFileSync(fileURLToPath(new URL('../../electron-builder.yml', import.meta.url)), 'utf8');
const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
};

describe('electron-builder.yml', () => {
  it('builds the Windows nsis, macOS dmg and Linux AppImage and deb installers', () => {
    expect(yml).toMatch(/win:\s*\n\s*target: \[nsis\]/);
    expect(yml).toMatch(/mac:\s*\n\s*target: \[dmg\]/);
    expect(yml).toMatch(/linux:\s*\n\s*target: \[AppImage, deb\]/);
  });

  it('rebuilds better-sqlite3 for Electron and keeps it unpacked from the asar', () => {
    expect(yml).toMatch(/^npmRebuild: true$/m);
    expect(yml).toMatch(/asarUnpack:\s*\n\s*- ["']\*\*\/node_modules\/better-sqlite3\/\*\*["']/);
  });

  it('packs the built main, preload and window, and starts from the built main', () => {
    expect(yml).toMatch(/- dist-electron\/\*\*/);
    expect(yml).toMatch(/- dist-renderer\/\*\*/);
    expect(pkg.main).toBe('dist-electron/main.cjs');
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs');
  });

  it('packs the engine host that main starts as a utility process (dist-electron/host.cjs)', async () => {
    // @ts-expect-error plain .mjs without types
    const { ELECTRON_OUTPUTS } = (await import('../../scripts/build-app.mjs')) as { ELECTRON_OUTPUTS: string[] };
    expect(ELECTRON_OUTPUTS).toEqual(['main.cjs', 'host.cjs', 'preload.cjs']);
    // Every output is under dist-electron/, which electron-builder packs whole.
    expect(yml).toMatch(/^files:\s*\n(\s+- .*\n)*\s+- dist-electron\/\*\*$/m);
  });

  it("sets the fuses Electron's security checklist asks to review (Node modes off; cookie encryption and asar checks on)", () => {
    for (const off of [
      'runAsNode',
      'enableNodeOptionsEnvironmentVariable',
      'enableNodeCliInspectArguments',
      'grantFileProtocolExtraPrivileges',
    ]) {
      expect(yml).toMatch(new RegExp(`^\\s+${off}: false$`, 'm'));
    }
    for (const on of ['enableCookieEncryption', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar']) {
      expect(yml).toMatch(new RegExp(`^\\s+${on}: true$`, 'm'));
    }
  });
});

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
if (!(electronBinary() as { ok: boolean }).ok) {
  describe('npm start without the Electron binary', () => {
    it('says the binary is missing, how to get it and how to use the browser instead, with no stack trace', () => {
      const r = spawnSync(process.execPath, ['scripts/start.mjs'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '' },
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('the Electron binary is missing');
      expect(r.stderr).toContain('npx install-electron');
      expect(r.stderr).toContain('npm run web');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    });
  });
} else {
  console.warn('\n[metricdrop] NOT RUN: the missing-binary message of npm start (the Electron binary is installed here).\n');
}

console.warn(
  '\n[metricdrop] NOT RUN: reading the fuses back from a packaged app needs `npm run dist` with the Electron binary, which is not available here.\n',
);
