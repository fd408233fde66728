import { useEffect, useState } from 'react';
import type { CampaignSummary, IpcError } from '../../shared/ipc-contract.ts';
import { useApi } from '../api/api-context.tsx';
import { isNameKey } from '../../shared/name-key.ts';
import { formatCount, formatMoney } from '../format.ts';

const SHOWN = 8;

/** The file's campaigns by spend: names exactly as written in the export, shown as text. */
export function CampaignsTable(props: { token: string; currency: string | null }) {
  const api = useApi();
  const [campaigns, setCampaigns] = useState<CampaignSummary[] | IpcError | null>(null);
  const [all, setAll] = useState(false);

  useEffect(() => {
    let live = true;
    void api.files.campaigns({ token: props.token }).then((r) => live && setCampaigns(r.ok ? r.value : r.error));
    return () => {
      live = false;
    };
  }, [api, props.token]);

  if (campaigns === null || !Array.isArray(campaigns) || campaigns.length === 0) return null;
  const shown = all ? campaigns : campaigns.slice(0, SHOWN);
  return (
    <table className="campaigns" data-testid="campaigns-table">
      <caption>
        Campaigns in this file <span className="muted small">· {formatCount(campaigns.length)}, by spend</span>
      </caption>
      <thead>
        <tr>
          <th scope="col">Campaign</th>
          <th scope="col">ID</th>
          <th scope="col" className="num">
            Ad sets
          </th>
          <th scope="col" className="num">
            Ads
          </th>
          <th scope="col" className="num">
            Rows
          </th>
          <th scope="col" className="num">
            Spend
          </th>
        </tr>
      </thead>
      <tbody>
        {shown.map((c) => (
          <tr key={c.externalId}>
            <td className="campaign-name">{c.name}</td>
            <td>{isNameKey(c.externalId) ? <span className="muted">matched by name</span> : <code>{c.externalId}</code>}</td>
            <td className="num">{formatCount(c.adSets)}</td>
            <td className="num">{formatCount(c.ads)}</td>
            <td className="num">{formatCount(c.rows)}</td>
            <td className="num">{formatMoney(c.spend, props.currency)}</td>
          </tr>
        ))}
      </tbody>
      {campaigns.length > SHOWN && (
        <tfoot>
          <tr>
            <td colSpan={6}>
              <button type="button" className="link" onClick={() => setAll(!all)}>
                {all ? 'Show fewer' : `Show all ${formatCount(campaigns.length)} campaigns`}
              </button>
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
