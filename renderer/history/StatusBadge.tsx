/** A history entry's status as a coloured badge, in the same words the filter offers. */
export function StatusBadge(props: { status: string }) {
  return <span className={`badge ${statusTone(props.status)}`}>{props.status}</span>;
}

function statusTone(status: string): 'good' | 'bad' | 'busy' | 'neutral' | 'warn' {
  if (status === 'completed' || status === 'validated' || status === 'staged') return 'good';
  if (status === 'failed') return 'bad';
  if (status === 'expired' || status === 'interrupted') return 'warn';
  if (status === 'pending' || status === 'staging' || status === 'committing' || status === 'running') return 'busy';
  return 'neutral';
}
