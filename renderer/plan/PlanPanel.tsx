import type { Plan, PlanCounts } from '../../shared/report.ts';
import type { UploadOutcome } from '../../shared/ipc-contract.ts';
import { formatCount } from '../format.ts';

const ROWS = [
  ['campaigns', 'Campaigns'],
  ['adSets', 'Ad sets'],
  ['ads', 'Ads'],
  ['facts', 'Daily rows (facts)'],
] as const;

/** Created / updated / unchanged per entity, as the server (or this computer, offline) planned it. */
export function PlanTable(props: { plan: Plan | null; committed: boolean }) {
  const plan = props.plan;
  if (!plan) return null;
  const verb = props.committed ? ['Created', 'Updated', 'Unchanged'] : ['Would create', 'Would update', 'Unchanged'];
  return (
    <>
      <table className="plan" data-testid={props.committed ? 'upload-plan' : 'dry-run-plan'}>
        <caption>
          {props.committed ? 'What the upload changed' : 'What an upload would change'}
          <span className="muted small">
            {' '}
            · {plan.source === 'server' ? 'planned by the server' : 'planned on this computer (offline), from what it uploaded before'}
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{verb[0]}</th>
            <th scope="col">{verb[1]}</th>
            <th scope="col">{verb[2]}</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(([key, label]) => {
            const c: PlanCounts = plan[key];
            return (
              <tr key={key} data-testid={`plan-${key}`}>
                <th scope="row">{label}</th>
                <td className={c.create > 0 ? 'num create' : 'num'}>{formatCount(c.create)}</td>
                <td className={c.update > 0 ? 'num update' : 'num'}>{formatCount(c.update)}</td>
                <td className="num muted">{formatCount(c.unchanged)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <MatchedByName plan={plan} committed={props.committed} />
    </>
  );
}

const BY_NAME_LEVELS = [
  ['campaigns', 'campaigns'],
  ['adSets', 'ad sets'],
  ['ads', 'ads'],
] as const;

const counted = (n: number, label: string) => `${formatCount(n)} ${n === 1 ? label.replace(/s$/, '') : label}`;
const quoted = (names: string[], total: number) =>
  `${names.map((n) => `“${n}”`).join(', ')}${total > names.length ? ` and ${formatCount(total - names.length)} more` : ''}`;

/** Levels the file has no usable IDs for: which entities were found by name, and which are new (a warning). */
function MatchedByName(props: { plan: Plan; committed: boolean }) {
  const notes = BY_NAME_LEVELS.flatMap(([key, label]) => {
    const b = props.plan[key].byName;
    if (!b) return [];
    const out: Array<{ key: string; warn: boolean; text: string }> = [];
    if (b.matched > 0)
      out.push({
        key: `${key}-matched`,
        warn: false,
        text: `Matched by name (the file has no usable IDs for them): ${counted(b.matched, label)} already in the database: ${quoted(b.matchedNames, b.matched)}.`,
      });
    if (b.created > 0) {
      out.push({
        key: `${key}-created`,
        warn: true,
        text: `${counted(b.created, label)} ${props.committed ? (b.created === 1 ? 'was' : 'were') : 'would be'} created by name, as none of that name was found for this client: ${quoted(b.createdNames, b.created)}. If any was uploaded before under another name, upload the export as downloaded (with its IDs) instead.`,
      });
    }
    return out;
  });
  if (notes.length === 0) return null;
  return (
    <ul className="warnings" data-testid="matched-by-name">
      {notes.map((n) => (
        <li key={n.key} className={n.warn ? 'alert warn' : 'alert'}>
          {n.text}
        </li>
      ))}
    </ul>
  );
}

export function Warnings(props: { outcome: UploadOutcome }) {
  if (props.outcome.warnings.length === 0) return null;
  return (
    <ul className="warnings" data-testid="warnings">
      {props.outcome.warnings.map((w, i) => (
        <li key={i} className="alert warn">
          {w.message}
        </li>
      ))}
    </ul>
  );
}
