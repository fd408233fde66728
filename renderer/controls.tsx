import type { ReactNode } from 'react';

export interface PickerOption {
  value: string;
  label: string;
}

/** A labelled drop-down (`label.picker`): the label names the select for screen readers and tests. */
export function Picker(props: {
  label: string;
  value: string;
  options: readonly PickerOption[];
  onChange(value: string): void;
  disabled?: boolean;
}) {
  return (
    <label className="picker">
      <span>{props.label}</span>
      <select aria-label={props.label} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A refusal or failure as the window shows every one: its code, then the sentence to act on. */
export function Refusal(props: { error: { code: string; message: string; stage?: string | undefined } }) {
  return (
    <p className="alert bad" role="alert" data-testid="refusal">
      <strong>{props.error.code}</strong> {props.error.message}
      {props.error.stage ? <span className="muted"> (stage: {props.error.stage})</span> : null}
    </p>
  );
}

/** One term and its value in a `dl.facts` list. */
export function Fact(props: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{props.term}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}
