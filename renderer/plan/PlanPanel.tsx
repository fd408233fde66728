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
