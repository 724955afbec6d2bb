/**
 * Terminal output: aligned tables, colour only on a TTY (and never with NO_COLOR or
 * TERM=dumb), and a progress bar on stderr only when stderr is a TTY.
 */
import cliProgress from 'cli-progress';

export interface Out {
  /** Write to stdout as is. */
  write(text: string): void;
  /** Write a line to stderr. */
  error(line: string): void;
  colour: boolean;
  progressEnabled: boolean;
}

function colourAllowed(stream: NodeJS.WriteStream): boolean {
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return false;
  if (process.env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

export function createOut(): Out {
  return {
    write: (text) => {
      process.stdout.write(text);
    },
    error: (line) => {
      process.stderr.write(`${line}\n`);
    },
    colour: colourAllowed(process.stdout),
    progressEnabled: process.stderr.isTTY === true,
  };
}

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;
export type Style = keyof typeof CODES;

export function paint(out: Pick<Out, 'colour'>, style: Style, text: string): string {
  if (!out.colour) return text;
  const [on, off] = CODES[style];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

export interface Column<T> {
  header: string;
  value(row: T): string;
  /** Right-align (numbers). */
  right?: boolean;
  style?(row: T): Style | undefined;
}

/** A plain aligned table: a header row, then one line per row; widths from the plain text. */
export function table<T>(
  out: Pick<Out, 'colour'>,
  columns: Column<T>[],
  rows: readonly T[],
): string {
  const cells = rows.map((r) => columns.map((c) => c.value(r).replace(/[\r\n\t]+/g, ' ')));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((row) => (row[i] as string).length)),
  );
  const pad = (s: string, i: number): string => {
    const w = widths[i] as number;
    return columns[i]?.right ? s.padStart(w) : s.padEnd(w);
  };
  const lines: string[] = [];
  lines.push(
    paint(
      out,
      'bold',
      columns
        .map((c, i) => pad(c.header, i))
        .join('  ')
        .trimEnd(),
    ),
  );
  rows.forEach((row, r) => {
    const line = columns
      .map((c, i) => {
        const text = pad((cells[r] as string[])[i] as string, i);
        const style = c.style?.(row);
        return style ? paint(out, style, text) : text;
      })
      .join('  ');
    lines.push(line.trimEnd());
  });
  return `${lines.join('\n')}\n`;
}

/** Key/value lines, keys aligned. */
export function keyValues(out: Pick<Out, 'colour'>, pairs: Array<[string, string]>): string {
  const w = Math.max(0, ...pairs.map(([k]) => k.length));
  return (
    pairs
      .map(([k, v]) => `${paint(out, 'dim', (k ? `${k}:` : '').padEnd(w + 1))} ${v}`)
      .join('\n') + '\n'
  );
}

export interface Progress {
  setTotal(total: number): void;
  update(value: number): void;
  increment(by?: number): void;
  stop(): void;
}

const noProgress: Progress = {
  setTotal: () => undefined,
  update: () => undefined,
  increment: () => undefined,
  stop: () => undefined,
};

/** A progress bar on stderr when it is a TTY; otherwise nothing at all. */
export function progress(
  out: Pick<Out, 'progressEnabled'>,
  label: string,
  total: number,
): Progress {
  if (!out.progressEnabled) return noProgress;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 0), 0);
  return {
    setTotal: (t) => bar.setTotal(t),
    update: (v) => bar.update(v),
    increment: (by = 1) => bar.increment(by),
    stop: () => bar.stop(),
  };
}
