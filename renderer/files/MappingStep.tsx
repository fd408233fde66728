import { useMemo, useState } from 'react';
import type { Platform } from '../../shared/canonical.ts';
import { FIELD_INFO, type ColumnMapping, type MappingProposal } from '../../shared/mapping.ts';
import { PLATFORM_LABEL } from '../format.ts';
import { mappingProblems, prefill, toColumnMapping, type Choice } from './mapping-form.ts';

/**
 * The mapping step of a file metricdrop cannot place all columns of: the platform (when the header
 * does not decide it), one picker per canonical field with the chosen column's sample values beside
 * it, required fields marked, the engine's proposal pre-filled. Confirming validates the file
 * again with the mapping; the result is the normal report.
 */
export function MappingStep(props: { proposal: MappingProposal; busy: boolean; onConfirm(mapping: ColumnMapping, save: boolean): void }) {
  const { proposal } = props;
  const [platform, setPlatform] = useState<Platform | ''>(
    proposal.platform ?? (proposal.candidates.length === 1 ? proposal.candidates[0]!.platform : ''),
  );
  const [choice, setChoice] = useState<Choice>(() => prefill(proposal, proposal.platform ?? proposal.candidates[0]!.platform));
  const [save, setSave] = useState(true);
  const candidate = proposal.candidates.find((c) => c.platform === platform) ?? proposal.candidates[0]!;
  const problems = useMemo(() => mappingProblems(choice, proposal, platform), [choice, proposal, platform]);

  function choosePlatform(p: Platform) {
    setPlatform(p);
    setChoice(prefill(proposal, p));
  }

  return (
    <form
      className="mapping-step stack"
      aria-label="Map the columns"
      data-testid="mapping-step"
      onSubmit={(e) => {
        e.preventDefault();
        if (problems.length === 0 && platform !== '') props.onConfirm(toColumnMapping(choice, proposal, platform), save);
      }}
    >
      <h3 className="section-title">Map the columns</h3>
      <p className="muted">
        metricdrop could not place every column of this file. Check the columns it proposes, pick the missing ones, and confirm: the file is
        then validated again with your mapping, and every number goes through the same checks as any other export.
      </p>
      {proposal.platform === null && (
        <fieldset className="platform-choice">
          <legend>Which platform exported this file? *</legend>
          {proposal.candidates.map((c) => (
            <label key={c.platform} className="radio">
              <input
                type="radio"
                name="mapping-platform"
                value={c.platform}
                checked={platform === c.platform}
                onChange={() => choosePlatform(c.platform)}
              />
              {PLATFORM_LABEL[c.platform]}
            </label>
          ))}
        </fieldset>
      )}
      <table className="mapping-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Column in the file</th>
            <th scope="col">Sample values</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {candidate.fields.map((f) => {
            const chosen = choice[f.field];
            const column = chosen === null ? null : proposal.columns[chosen];
            const label = FIELD_INFO[f.field].label;
            const mark = f.required === 'yes' ? ' *' : f.required === 'one_of' ? ' †' : '';
            const proposed = f.column === chosen && f.column !== null;
            return (
              <tr key={f.field} data-testid={`mapping-row-${f.field}`}>
                <th scope="row">
                  <label htmlFor={`map-${f.field}`}>
                    {label}
                    {mark && (
                      <span className="required" aria-label={f.required === 'yes' ? 'required' : 'a campaign name or ID is required'}>
                        {mark}
                      </span>
                    )}
                  </label>
                </th>
                <td>
                  <select
                    id={`map-${f.field}`}
                    aria-label={`Column for ${label}`}
                    value={chosen === null ? '' : String(chosen)}
                    onChange={(e) => setChoice({ ...choice, [f.field]: e.target.value === '' ? null : Number(e.target.value) })}
                  >
                    <option value="">— none —</option>
                    {proposal.columns
                      .filter((c) => c.header !== '')
                      .map((c) => (
                        <option key={c.index} value={String(c.index)}>
                          {c.header}
                        </option>
                      ))}
                  </select>
                </td>
                <td className="samples" data-testid={`mapping-samples-${f.field}`}>
                  {column ? column.samples.map((s, i) => <code key={i}>{s}</code>) : <span className="muted">—</span>}
                </td>
                <td className="muted small">{chosen === null ? f.because : proposed ? f.because : 'as you chose it'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted small">* required · † a campaign name or a campaign ID is required</p>
      {problems.length > 0 && (
        <ul className="alert warn" data-testid="mapping-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={save} onChange={(e) => setSave(e.target.checked)} />
        Remember this mapping for the next file with the same columns
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={props.busy || problems.length > 0 || platform === ''}>
          {props.busy ? 'Validating…' : 'Validate with this mapping'}
        </button>
      </div>
    </form>
  );
}
