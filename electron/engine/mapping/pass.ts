import type { Platform } from '../../../shared/canonical.ts';
import {
  FIELD_INFO,
  MAPPABLE_FIELDS,
  mappingNote,
  type AppliedMapping,
  type ColumnMapping,
  type MappingProposal,
} from '../../../shared/mapping.ts';
import type { TextEncoding } from '../read/decode.ts';
import { detectedPlatform, type ConfirmedColumns, type Refusal } from '../recognise/recognise.ts';
import { MappedValuesCheck } from './check.ts';
import { proposeMapping } from './propose.ts';
import { resolveMapping } from './resolve.ts';
import { headerSignature } from './signature.ts';

/** A mapping confirmed earlier, as the store finds it for a header signature. */
export interface SavedMappingRef {
  id: string;
  mapping: ColumnMapping;
  confirmedAt: string;
}

export interface MappingOptions {
  /** A mapping confirmed for this file now (`--map`, the app's mapping step). */
  given?: ColumnMapping | undefined;
  /** Finds a saved mapping for a header signature (and `--platform`, when given). */
  saved?: ((signature: string, platform: Platform | undefined) => SavedMappingRef | null) | undefined;
}

/** Data records kept for the proposal's samples and value evidence. */
const PROPOSAL_ROWS = 20;

/**
 * The column mapping's part of one pass over a file: at the header it resolves the given (or a
 * saved) mapping into columns for the recognition, or refuses it; on the first data rows it checks
 * the mapped columns' values; it keeps those rows for a proposal when the file is refused.
 */
export class MappingPass {
  signature: string | null = null;
  /** The mapping the file is read with, once the header accepted it. */
  applied: { source: 'given' | 'saved'; mapping: ColumnMapping; saved: SavedMappingRef | null } | null = null;
  /** `--platform` decided a header that names no single platform (worth saving as a mapping). */
  platformChosen = false;
  readonly rows: string[][] = [];
  private check: MappedValuesCheck | null = null;
  private checking = false;
  private headers: readonly string[] = [];
  private confirmedByField: Partial<Record<(typeof MAPPABLE_FIELDS)[number], number>> = {};

  constructor(
    private readonly options: MappingOptions,
    private readonly platform: Platform | undefined,
  ) {}

  /**
   * At the header: the platform and confirmed columns for `recogniseHeader`, or the refusal of a
   * given mapping that does not fit this header (INVALID_MAPPING).
   */
  atHeader(
    headers: readonly string[],
    ctx: { preamble: readonly string[]; encoding: TextEncoding },
  ): { platform: Platform | undefined; columns: ConfirmedColumns | undefined } | Refusal {
    this.headers = headers;
    this.signature = headerSignature(headers);
    const given = this.options.given;
    const saved = given ? null : (this.options.saved?.(this.signature, this.platform) ?? null);
    const mapping = given ?? saved?.mapping ?? null;
    if (mapping === null) {
      if (this.platform !== undefined && detectedPlatform(headers, ctx) === null) this.platformChosen = true;
      return { platform: this.platform, columns: undefined };
    }
    const resolved = resolveMapping(mapping, headers);
    if (!resolved.ok) {
      // A saved mapping is keyed by this very header, so it fits; if the rules changed, read without it.
      if (!given) return { platform: this.platform, columns: undefined };
      return { code: 'INVALID_MAPPING', message: resolved.message };
    }
    this.applied = { source: given ? 'given' : 'saved', mapping, saved };
    this.confirmedByField = resolved.byField;
    const checked = MAPPABLE_FIELDS.flatMap((field) => {
      const index = resolved.byField[field];
      return index === undefined || FIELD_INFO[field].kind === 'text' ? [] : [{ field, index, header: (headers[index] ?? '').trim() }];
    });
    if (checked.length > 0) {
      this.check = new MappedValuesCheck(checked);
      this.checking = true;
    }
    return { platform: mapping.platform, columns: resolved.columns };
  }

  /** One data record; a refusal when the mapped columns' values disagree with their fields. */
  observe(fields: readonly string[]): Refusal | null {
    if (this.rows.length < PROPOSAL_ROWS) this.rows.push([...fields]);
    if (this.checking && !this.check!.observe(fields)) return this.verdict();
    return null;
  }

  /** After the last record (or before mapping starts on a short file). */
  verdict(): Refusal | null {
    if (!this.checking) return null;
    this.checking = false;
    const problem = this.check!.verdict();
    return problem === null ? null : { code: 'INVALID_MAPPING', message: problem };
  }

  /** Whether a refusal can be answered with a mapping. */
  static answers(code: string): boolean {
    return code === 'UNKNOWN_FORMAT' || code === 'MISSING_COLUMN' || code === 'INVALID_MAPPING';
  }

  /** Whether the pass should read more records for the proposal after this refusal. */
  wantsRows(): boolean {
    return this.rows.length < PROPOSAL_ROWS;
  }

  proposal(headerRow: number | null, platform: Platform | null): MappingProposal | null {
    if (this.headers.length === 0) return null;
    return proposeMapping({
      headers: this.headers,
      rows: this.rows,
      headerRow,
      platform: this.applied?.mapping.platform ?? platform ?? undefined,
      confirmed: this.confirmedByField,
    });
  }

  /** The report's `mapped` (id and date of a mapping given now are filled in when it is saved). */
  appliedReport(now: Date): AppliedMapping | null {
    const a = this.applied;
    if (a === null) return null;
    const confirmedAt = a.saved?.confirmedAt ?? now.toISOString();
    return {
      id: a.saved?.id ?? null,
      platform: a.mapping.platform,
      fields: a.mapping.fields,
      source: a.source,
      confirmedAt,
      note: mappingNote(a.mapping.platform, a.mapping.fields, confirmedAt),
    };
  }
}
