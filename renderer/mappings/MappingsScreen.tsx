import { useCallback, useEffect, useState } from 'react';
import type { IpcError } from '../../shared/ipc-contract.ts';
import { FIELD_INFO, MAPPABLE_FIELDS, confirmedDay, type MappableField, type SavedMapping } from '../../shared/mapping.ts';
import { useApi } from '../api/api-context.tsx';
import { Refusal } from '../controls.tsx';
import { PLATFORM_LABEL } from '../format.ts';

/** The column mappings confirmed on this computer: each can be changed or forgotten. */
export function MappingsScreen() {
  const api = useApi();
  const [mappings, setMappings] = useState<SavedMapping[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await api.mappings.list({});
    if (r.ok) setMappings(r.value);
    else setError(r.error);
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <main className="page">
      <section className="panel stack" aria-label="Column mappings">
        <h2 className="section-title">Column mappings</h2>
        <p className="muted">
          A mapping you confirmed is applied to every later file with the same columns. Forget one and the next such file asks again.
        </p>
        {error && <Refusal error={error} />}
        {mappings === null ? (
          <p className="muted">Loading…</p>
        ) : mappings.length === 0 ? (
          <p className="muted" data-testid="no-mappings">
            No saved column mappings.
          </p>
        ) : (
          <ul className="mapping-list">
            {mappings.map((m) => (
              <li key={m.id} className="card mapping-card" aria-label={`Mapping ${m.id}`} data-testid="saved-mapping">
                <div className="card-head">
                  <strong>{PLATFORM_LABEL[m.platform]}</strong>
                  <span className="muted small">
                    confirmed {confirmedDay(m.confirmedAt)}
                    {m.lastUsedAt ? ` · last used ${confirmedDay(m.lastUsedAt)}` : ''}
                  </span>
                </div>
                {editing === m.id ? (
                  <EditMapping
                    mapping={m}
                    onCancel={() => setEditing(null)}
                    onSave={async (fields) => {
                      const r = await api.mappings.change({ id: m.id, fields });
                      if (!r.ok) return r.error;
                      setEditing(null);
                      await load();
                      return null;
                    }}
                  />
                ) : (
                  <>
                    <dl className="facts">
                      {MAPPABLE_FIELDS.filter((f) => m.fields[f] !== undefined).map((f) => (
                        <div key={f}>
                          <dt>{FIELD_INFO[f].label}</dt>
                          <dd>{m.fields[f]}</dd>
                        </div>
                      ))}
                    </dl>
                    <p className="muted small">Columns: {m.headers.filter((h) => h.trim() !== '').join(', ')}</p>
                    <div className="actions">
                      <button type="button" className="secondary" onClick={() => setEditing(m.id)}>
                        Change
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        onClick={async () => {
                          const r = await api.mappings.forget({ id: m.id });
                          if (!r.ok) setError(r.error);
                          await load();
                        }}
                      >
                        Forget
                      </button>
                    </div>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function EditMapping(props: {
  mapping: SavedMapping;
  onCancel(): void;
  onSave(fields: Partial<Record<MappableField, string>>): Promise<IpcError | null>;
}) {
  const [fields, setFields] = useState<Partial<Record<MappableField, string>>>(props.mapping.fields);
  const [error, setError] = useState<IpcError | null>(null);
  const headers = [...new Set(props.mapping.headers.map((h) => h.trim()).filter((h) => h !== ''))];
  return (
    <form
      className="stack"
      aria-label="Change the mapping"
      onSubmit={(e) => {
        e.preventDefault();
        void props.onSave(fields).then(setError);
      }}
    >
      <table className="mapping-table">
        <tbody>
          {MAPPABLE_FIELDS.map((f) => (
            <tr key={f}>
              <th scope="row">
                <label htmlFor={`edit-${props.mapping.id}-${f}`}>{FIELD_INFO[f].label}</label>
              </th>
              <td>
                <select
                  id={`edit-${props.mapping.id}-${f}`}
                  value={fields[f] ?? ''}
                  onChange={(e) => {
                    const next = { ...fields };
                    if (e.target.value === '') delete next[f];
                    else next[f] = e.target.value;
                    setFields(next);
                  }}
                >
                  <option value="">— as the header tables read it —</option>
                  {headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <Refusal error={error} />}
      <div className="actions">
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary">
          Save the mapping
        </button>
      </div>
    </form>
  );
}
