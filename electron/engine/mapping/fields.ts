import { MAPPABLE_FIELDS, type MappableField } from '../../../shared/mapping.ts';
import type { Field } from '../recognise/aliases.ts';

/**
 * The mappable field a recognised field is, if it is one. Both use the canonical row's names
 * (`ad_set_name`); `results` and the range columns are recognised but never mapped by a person.
 */
export function mappableField(field: Field): MappableField | null {
  return (MAPPABLE_FIELDS as readonly string[]).includes(field) ? (field as MappableField) : null;
}
