import { describe, expect, it } from 'vitest';
import { MAPPABLE_FIELDS, type FieldProposal, type MappingProposal } from '../../shared/mapping.ts';
import { mappingProblems, prefill, toColumnMapping } from './mapping-form.ts';

const columns = ['Day', 'Campaign name', 'Impressions', 'Link clicks', 'Budget used (EUR)'].map((header, index) => ({
  index,
  header,
  samples: [],
}));

function fields(placed: Partial<Record<(typeof MAPPABLE_FIELDS)[number], [number, FieldProposal['reason']]>>): FieldProposal[] {
  return MAPPABLE_FIELDS.map((field) => {
    const p = placed[field];
    return {
      field,
      required: 'no',
      column: p ? p[0] : null,
      header: p ? columns[p[0]]!.header : null,
      reason: p ? p[1] : 'none',
      because: '',
    };
  });
}

const proposal: MappingProposal = {
  platform: null,
  candidates: [
    {
      platform: 'meta',
      fields: fields({
        date: [0, 'header_table'],
        campaign_name: [1, 'header_table'],
        impressions: [2, 'header_table'],
        clicks: [3, 'header_table'],
        spend: [4, 'values'],
      }),
    },
    { platform: 'google', fields: fields({ date: [0, 'header_table'], impressions: [2, 'header_table'] }) },
  ],
  columns,
  headerRow: 1,
  signature: 'x',
};

describe('the mapping step form', () => {
  it('starts from the proposal of the chosen platform', () => {
    expect(prefill(proposal, 'meta')).toMatchObject({ date: 0, spend: 4, ad_name: null });
    expect(prefill(proposal, 'google')).toMatchObject({ date: 0, spend: null, campaign_name: null });
  });

  it('names every required field left without a column, and a column picked twice', () => {
    const choice = { ...prefill(proposal, 'google'), clicks: 2 };
    expect(mappingProblems(choice, proposal, 'google')).toEqual([
      'Pick the column that holds Spend.',
      'Pick the column of the campaign name or of the campaign ID.',
      '"Impressions" is picked for Impressions and Clicks; one column can hold only one of them.',
    ]);
    expect(mappingProblems(prefill(proposal, 'meta'), proposal, '')).toEqual(['Choose the platform that exported this file.']);
    expect(mappingProblems(prefill(proposal, 'meta'), proposal, 'meta')).toEqual([]);
  });

  it('confirms the platform and only the columns the header tables did not give', () => {
    expect(toColumnMapping(prefill(proposal, 'meta'), proposal, 'meta')).toEqual({
      platform: 'meta',
      fields: { spend: 'Budget used (EUR)' },
    });
    const changed = { ...prefill(proposal, 'meta'), clicks: null, conversions: 3 };
    expect(toColumnMapping(changed, proposal, 'meta')).toEqual({
      platform: 'meta',
      fields: { spend: 'Budget used (EUR)', conversions: 'Link clicks' },
    });
  });
});
