import type Database from 'better-sqlite3';

/** One entry of the local audit log (validations now; uploads, sign-ins and others as they come). */
export interface AuditEvent {
  id: number;
  at: string;
  kind: string;
  subjectId: string | null;
  detail: unknown;
}

export function recordAuditEvent(
  db: Database.Database,
  event: { at: Date; kind: string; subjectId: string | null; detail: unknown },
): number {
  const r = db
    .prepare('insert into audit_events (at, kind, subject_id, detail_json) values (?, ?, ?, ?)')
    .run(event.at.toISOString(), event.kind, event.subjectId, JSON.stringify(event.detail ?? null));
  return Number(r.lastInsertRowid);
}

/** Newest first. */
export function listAuditEvents(db: Database.Database, opts: { limit?: number; subjectId?: string } = {}): AuditEvent[] {
  const rows = db
    .prepare(
      `select id, at, kind, subject_id, detail_json from audit_events
       where (@subjectId is null or subject_id = @subjectId)
       order by at desc, id desc limit @limit`,
    )
    .all({ subjectId: opts.subjectId ?? null, limit: opts.limit ?? 100 }) as Array<{
    id: number;
    at: string;
    kind: string;
    subject_id: string | null;
    detail_json: string;
  }>;
  return rows.map((r) => ({ id: r.id, at: r.at, kind: r.kind, subjectId: r.subject_id, detail: JSON.parse(r.detail_json) as unknown }));
}
