import type { Migration } from '../migrate.ts';
import { migration001 } from './001_validations.ts';
import { migration002 } from './002_uploads.ts';
import { migration003 } from './003_upload_steps_every_run.ts';
import { migration004 } from './004_column_mappings.ts';
import { migration005 } from './005_upload_intents.ts';
import { migration006 } from './006_validated_rows_by_entity.ts';
import { migration007 } from './007_validated_metrics_as_digits.ts';

/** Every local store migration, in order. Add the next one at the end, with its own test. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
];
