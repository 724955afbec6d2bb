/**
 * Forms validated as the user types with the API's own zod schemas (src/domain/commands.ts), and
 * the server's problem details shown beside the fields they name. A field lists the body paths it
 * answers for (`statement.madeAt` → "Said on"); a problem no field answers for goes to the summary.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { z } from 'zod';
import { ApiError, describeError, type FieldError } from './api.js';
import { fieldErrors } from '../../src/shared/field-errors.js';
import { humanise } from './format.js';

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'date' | 'number' | 'select' | 'textarea' | 'url';
  options?: readonly string[];
  /** Body paths this field answers for (dotted, no array indices). */
  paths: readonly string[];
  hint?: string;
  required?: boolean;
  initial?: string;
}

export type Values = Record<string, string>;

/**
 * The schema's complaints about `body`, worded and pathed as the server words them (the same
 * `fieldErrors` builds its problem details), so a message seen while typing is the one a submit
 * would get back, and the two show once.
 */
export function zodErrors(schema: z.ZodType, body: unknown): FieldError[] {
  const r = schema.safeParse(body);
  if (r.success) return [];
  return fieldErrors(r.error.issues, body);
}

/** The field a body path belongs to: the longest listed prefix wins. */
export function fieldFor(path: string, fields: readonly FieldSpec[]): string | null {
  const bare = path.replace(/\[\d+\]/g, '');
  let best: { name: string; len: number } | null = null;
  for (const f of fields) {
    for (const p of f.paths) {
      if ((bare === p || bare.startsWith(`${p}.`)) && (!best || p.length > best.len)) {
        best = { name: f.name, len: p.length };
      }
    }
  }
  return best?.name ?? null;
}

export function groupErrors(
  errors: readonly FieldError[],
  fields: readonly FieldSpec[],
): { byField: Record<string, string[]>; other: FieldError[] } {
  const byField: Record<string, string[]> = {};
  const other: FieldError[] = [];
  for (const e of errors) {
    const name = fieldFor(e.path, fields);
    if (name) (byField[name] ??= []).push(e.message);
    else other.push(e);
  }
  return { byField, other };
}

export function Field(props: {
  spec: FieldSpec;
  idPrefix: string;
  value: string;
  errors: readonly string[] | undefined;
  onInput: (v: string) => void;
}) {
  const { spec, idPrefix, value, errors } = props;
  const id = `${idPrefix}-${spec.name}`;
  const describedBy = [spec.hint ? `${id}-hint` : '', errors?.length ? `${id}-err` : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    name: spec.name,
    'aria-invalid': errors?.length ? ('true' as const) : undefined,
    'aria-describedby': describedBy || undefined,
    'aria-required': spec.required ? ('true' as const) : undefined,
  };
  const onInput = (e: Event): void =>
    props.onInput((e.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value);
  let control: ComponentChildren;
  if (spec.type === 'select') {
    control = (
      <select {...common} value={value} onChange={onInput}>
        <option value="">Choose…</option>
        {(spec.options ?? []).map((o) => (
          <option key={o} value={o}>
            {humanise(o)}
          </option>
        ))}
      </select>
    );
  } else if (spec.type === 'textarea') {
    control = <textarea {...common} rows={3} value={value} onInput={onInput} />;
  } else {
    control = (
      <input
        {...common}
        type={spec.type === 'number' ? 'text' : (spec.type ?? 'text')}
        inputMode={spec.type === 'number' ? 'decimal' : undefined}
        value={value}
        onInput={onInput}
      />
    );
  }
  return (
    <div class={`field${errors?.length ? ' has-error' : ''}`}>
      <label for={id}>
        {spec.label}
        {spec.required ? '' : <span class="optional"> (optional)</span>}
      </label>
      {spec.hint && (
        <p class="hint" id={`${id}-hint`}>
          {spec.hint}
        </p>
      )}
      {control}
      {errors?.length ? (
        <p class="field-error" id={`${id}-err`}>
          {errors.join('; ')}
        </p>
      ) : null}
    </div>
  );
}

/** A number typed by a person: `10,000,000,000`, `4.5e9`, `10 000`. Empty → undefined. */
export function parseAmount(s: string): number | undefined {
  const t = s.replace(/[\s,_]/g, '');
  if (t === '') return undefined;
  return Number(t);
}

/** Comma-separated list → array (empty → undefined). */
export function parseList(s: string): string[] | undefined {
  const parts = s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.length ? parts : undefined;
}

export function initialValues(fields: readonly FieldSpec[]): Values {
  return Object.fromEntries(fields.map((f) => [f.name, f.initial ?? '']));
}

/**
 * Form state: values, which fields the user has touched, client and server errors. Errors of a
 * field show once it has been typed in, or for every field after a submit attempt.
 */
export function useZodForm(
  fields: readonly FieldSpec[],
  schema: z.ZodType,
  build: (v: Values) => unknown,
) {
  const [values, setValues] = useState<Values>(() => initialValues(fields));
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  /** Submits and server answers so far: the error summary takes focus after each. */
  const [attempts, setAttempts] = useState(0);
  const [server, setServer] = useState<{
    errors: FieldError[];
    message: string | null;
    error: unknown;
  }>({
    errors: [],
    message: null,
    error: null,
  });
  const body = build(values);
  const clientErrors = zodErrors(schema, body);
  const client = groupErrors(clientErrors, fields);
  const fromServer = groupErrors(server.errors, fields);
  const shown: Record<string, string[]> = {};
  for (const f of fields) {
    const list = [
      ...(submitted || touched[f.name] ? (client.byField[f.name] ?? []) : []),
      ...(fromServer.byField[f.name] ?? []),
    ];
    if (list.length) shown[f.name] = [...new Set(list)];
  }
  return {
    values,
    body,
    valid: clientErrors.length === 0,
    shown,
    otherErrors: [...(submitted ? client.other : []), ...fromServer.other],
    server,
    attempts,
    set(name: string, v: string) {
      setValues((old) => ({ ...old, [name]: v }));
      setTouched((old) => ({ ...old, [name]: true }));
      // The server's word on a field stands until that field changes.
      setServer((old) => ({
        ...old,
        errors: old.errors.filter((e) => fieldFor(e.path, fields) !== name),
      }));
    },
    attempt() {
      setSubmitted(true);
      setAttempts((n) => n + 1);
    },
    reset() {
      setValues(initialValues(fields));
      setTouched({});
      setSubmitted(false);
      setServer({ errors: [], message: null, error: null });
    },
    serverFailed(err: unknown) {
      const errors = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
      setServer({ errors, message: describeError(err), error: err });
      setAttempts((n) => n + 1);
    },
  };
}

export type ZodFormState = ReturnType<typeof useZodForm>;

/** The summary at the top of a form after a failed submit: the problem and links to each field. */
export function ErrorSummary(props: {
  form: ZodFormState;
  fields: readonly FieldSpec[];
  idPrefix: string;
  show: boolean;
}) {
  const { form, fields, idPrefix, show } = props;
  const ref = useRef<HTMLDivElement>(null);
  // After a submit that failed, the summary takes focus so it is seen and read out.
  useEffect(() => {
    if (form.attempts > 0) ref.current?.focus();
  }, [form.attempts, form.server.message]);
  const badFields = fields.filter((f) => form.shown[f.name]);
  if (!show && !form.server.message) return null;
  if (!form.server.message && badFields.length === 0 && form.otherErrors.length === 0) return null;
  const status = form.server.error instanceof ApiError ? form.server.error.status : null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref}>
      {form.server.message ? <p>{form.server.message}</p> : <p>Please correct the fields below.</p>}
      {status === 412 && (
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      )}
      <ul>
        {badFields.map((f) => (
          <li key={f.name}>
            <a href={`#${idPrefix}-${f.name}`}>
              {f.label}: {form.shown[f.name]?.join('; ')}
            </a>
          </li>
        ))}
        {form.otherErrors.map((e, i) => (
          <li key={`o${i}`}>
            {e.path ? `${e.path}: ` : ''}
            {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
