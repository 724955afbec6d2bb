/**
 * Minimal typings for the npm `edtf` package (it ships none).
 * Only what the domain uses: every parsed value has `min`/`max` timestamps (ms since the
 * epoch, UTC). An open bound (`..`) is ±Infinity, an unknown bound (empty) is null,
 * and an unrepresentable one (e.g. `Y170000002`) is NaN.
 */
declare module 'edtf' {
  export interface ExtDate {
    readonly type: string;
    readonly edtf: string;
    readonly min: number | null;
    readonly max: number | null;
  }
  export interface ParseConstraints {
    level?: 0 | 1 | 2 | 3;
    types?: string[];
  }
  export default function edtf(input: string, constraints?: ParseConstraints): ExtDate;
}
