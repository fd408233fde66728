import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, userVersion, type Migration } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

const table = (version: number, name: string, sql: string): Migration => ({ version, name, up: (db) => db.exec(sql) });

describe('migrate', () => {
  it('applies what is missing, in order, once', () => {
    const db = new Database(':memory:');
    const ms = [table(1, 'a', 'create table a (x)'), table(2, 'b', 'create table b (x)')];
    expect(migrate(db, ms, 1)).toEqual([1]);
    expect(userVersion(db)).toBe(1);
    expect(migrate(db, ms)).toEqual([2]);
    expect(migrate(db, ms)).toEqual([]);
    expect(userVersion(db)).toBe(2);
  });

  it('a failing migration leaves the store at the last whole version', () => {
    const db = new Database(':memory:');
    const ms = [table(1, 'a', 'create table a (x)'), table(2, 'broken', 'create table b (x); create table a (y)')];
    expect(() => migrate(db, ms)).toThrow(/already exists/);
    expect(userVersion(db)).toBe(1);
    expect(db.prepare("select count(*) as n from sqlite_master where name = 'b'").get()).toEqual({ n: 0 });
  });

  it('refuses a store written by a newer metricdrop, and a gap in the numbering', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 9');
    expect(() => migrate(db, MIGRATIONS)).toThrow(/newer than this metricdrop knows/);
    expect(() => migrate(new Database(':memory:'), [table(2, 'gap', 'select 1')])).toThrow(/expected 1/);
  });

  it('the real migrations are numbered 1..n', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
