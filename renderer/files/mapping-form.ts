import type { Platform } from '../../shared/canonical.ts';
import {
  FIELD_INFO,
  FIELD_REQUIREMENT,
  MAPPABLE_FIELDS,
  type ColumnMapping,
  type MappableField,
  type MappingProposal,
} from '../../shared/mapping.ts';

/** The column index chosen for each field in the mapping step, or null for none. */
export type Choice = Record<MappableField, number | null>;

/** The engine's proposal for a platform, as the pickers start. */
export function prefill(proposal: MappingProposal, platform: Platform): Choice {
  const candidate = proposal.candidates.find((c) => c.platform === platform) ?? proposal.candidates[0]!;
  const choice = Object.fromEntries(MAPPABLE_FIELDS.map((f) => [f, null])) as Choice;
  for (const f of candidate.fields) choice[f.field] = f.column;
  return choice;
}

/** What keeps the mapping from being confirmed, in words (empty: it can be confirmed). */
export function mappingProblems(choice: Choice, proposal: MappingProposal, platform: Platform | ''): string[] {
  const problems: string[] = [];
  if (platform === '') problems.push('Choose the platform that exported this file.');
  for (const f of MAPPABLE_FIELDS) {
    if (FIELD_REQUIREMENT[f] === 'yes' && choice[f] === null) problems.push(`Pick the column that holds ${FIELD_INFO[f].label}.`);
  }
  if (choice.campaign_name === null && choice.campaign_id === null)
    problems.push('Pick the column of the campaign name or of the campaign ID.');
  const byColumn = new Map<number, MappableField[]>();
  for (const f of MAPPABLE_FIELDS) {
    const c = choice[f];
    if (c !== null) byColumn.set(c, [...(byColumn.get(c) ?? []), f]);
  }
  for (const [column, fields] of byColumn) {
    if (fields.length > 1) {
      problems.push(
        `"${proposal.columns[column]?.header ?? column}" is picked for ${fields.map((f) => FIELD_INFO[f].label).join(' and ')}; one column can hold only one of them.`,
      );
    }
  }
  return problems;
}

/**
 * The mapping to confirm: the platform, and every field whose column the header tables did not
 * already give (what the person placed, or accepted from the evidence in the values).
 */
export function toColumnMapping(choice: Choice, proposal: MappingProposal, platform: Platform): ColumnMapping {
  const candidate = proposal.candidates.find((c) => c.platform === platform) ?? proposal.candidates[0]!;
  const fields: Partial<Record<MappableField, string>> = {};
  for (const f of candidate.fields) {
    const chosen = choice[f.field];
    if (chosen === null) continue;
    if (f.reason === 'header_table' && f.column === chosen) continue;
    const header = proposal.columns[chosen]?.header;
    if (header) fields[f.field] = header;
  }
  return { platform, fields };
}
