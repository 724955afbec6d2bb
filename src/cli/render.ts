/**
 * The human-readable renderings of the CLI's answers: the commitments table, one commitment,
 * the overdue and upcoming agenda, and the audit report. `--json` output does not pass here.
 */
import type { CommitmentView } from '../../projections/types.js';
import type { OverdueItem, UpcomingItem, VerifyReport } from '../app/types.js';
import type { StoredEvent } from '../store/port.js';
import { keyValues, paint, table, type Out, type Style } from './output.js';

const statusStyle = (s: string): Style | undefined =>
  s === 'overdue' || s === 'missed' || s === 'stalled'
    ? 'red'
    : s === 'due_soon' || s === 'partially_fulfilled'
      ? 'yellow'
      : s === 'fulfilled' || s === 'on_schedule'
        ? 'green'
        : undefined;

export function viewsTable(out: Out, views: readonly CommitmentView[]): string {
  if (views.length === 0) return 'no commitments\n';
  return table<CommitmentView>(
    out,
    [
      { header: 'ID', value: (v) => v.id },
      { header: 'STATUS', value: (v) => v.status, style: (v) => statusStyle(v.status) },
      { header: 'TIMING', value: (v) => v.timing, style: (v) => statusStyle(v.timing) },
      { header: 'DUE', value: (v) => v.due?.latest ?? '-' },
      { header: 'FOLLOW UP', value: (v) => v.nextFollowUp ?? '-' },
      { header: 'PARTIES', value: (v) => v.parties.join(',') },
      { header: 'TITLE', value: (v) => v.title },
    ],
    views,
  );
}

export function showView(out: Out, v: CommitmentView): string {
  const pairs: Array<[string, string]> = [
    ['id', paint(out, 'bold', v.id)],
    ['title', v.title],
    ['kind', v.kind],
    ['parties', v.parties.join(', ')],
    ['status', paint(out, statusStyle(v.status) ?? 'bold', v.status)],
    ['timing', paint(out, statusStyle(v.timing) ?? 'bold', v.timing)],
    [
      'due',
      v.due
        ? `${v.due.text ?? v.due.edtf} (${v.due.earliest ? `${v.due.earliest} – ${v.due.latest}` : `at the latest ${v.due.latest}`})`
        : '-',
    ],
    ['next follow-up', v.nextFollowUp ?? '-'],
  ];
  if (v.metric) {
    const m = v.metric;
    pairs.push([
      'metric',
      `${m.name}: ${m.baseline ? `${m.baseline.value} (${m.baseline.asOf})` : '?'} → ${m.target} ${m.unit}` +
        (m.latest ? `; latest ${m.latest.value} (${m.latest.asOf})` : '') +
        (m.progress !== null ? `; progress ${(m.progress * 100).toFixed(1)}%` : ''),
    ]);
  }
  if (v.outcome)
    pairs.push([
      'outcome',
      `${v.outcome.outcome} (${v.outcome.decidedAt})${v.outcome.note ? `: ${v.outcome.note}` : ''}`,
    ]);
  if (v.supersededBy) pairs.push(['superseded by', v.supersededBy]);
  if (v.tags.length) pairs.push(['tags', v.tags.join(', ')]);
  pairs.push([
    'quote',
    `"${v.statement.quote}" (${v.statement.madeAt}${v.statement.madeBy?.length ? `, ${v.statement.madeBy.join(', ')}` : ''})`,
  ]);
  v.sources.forEach((s, i) =>
    pairs.push([
      i === 0 ? 'sources' : '',
      `${s.publisher}, ${s.publishedAt}${s.title ? `: ${s.title}` : ''}${s.url ? ` <${s.url}>` : ''}`,
    ]),
  );
  pairs.push(
    ['revision', String(v.revision)],
    ['recorded', v.recordedAt],
    ['updated', v.updatedAt],
  );
  return keyValues(out, pairs);
}

export function agendaTable(
  out: Out,
  items: ReadonlyArray<OverdueItem | UpcomingItem>,
  days: 'daysOverdue' | 'daysUntil',
): string {
  if (items.length === 0)
    return days === 'daysOverdue' ? 'nothing overdue\n' : 'nothing upcoming\n';
  return table<OverdueItem | UpcomingItem>(
    out,
    [
      { header: 'DATE', value: (i) => i.date },
      {
        header: 'ITEM',
        value: (i) => i.item,
        style: (i) => (i.item === 'deadline' ? 'bold' : undefined),
      },
      {
        header: days === 'daysOverdue' ? 'DAYS OVERDUE' : 'IN DAYS',
        value: (i) => String((i as unknown as Record<string, number>)[days]),
        right: true,
        style: () => (days === 'daysOverdue' ? 'red' : undefined),
      },
      { header: 'ID', value: (i) => i.commitmentId },
      { header: 'PARTIES', value: (i) => i.parties.join(',') },
      { header: 'TITLE', value: (i) => i.title },
    ],
    items,
  );
}

export function verifyText(out: Out, r: VerifyReport): string {
  const lines = [
    `${r.ok ? paint(out, 'green', 'OK') : paint(out, 'red', 'PROBLEM')}: ${r.events} events checked`,
    `hash chain: ${r.chain.ok ? 'intact' : paint(out, 'red', `broken at ${r.chain.brokenAt?.stream} revision ${r.chain.brokenAt?.revision}: ${r.chain.brokenAt?.reason}`)}`,
    `read model: ${r.readModel.ok ? 'matches the log' : paint(out, 'red', `${r.readModel.mismatches.length} mismatch(es)`)}`,
    ...r.readModel.mismatches.slice(0, 20).map((m) => `  ${m.id}: ${m.reason}`),
  ];
  if (r.readModel.mismatches.length > 20)
    lines.push(`  … and ${r.readModel.mismatches.length - 20} more`);
  return `${lines.join('\n')}\n`;
}

/** The events of one commitment, as `show --history` lists them. */
export function historyTable(out: Out, events: readonly StoredEvent[]): string {
  return table<StoredEvent>(
    out,
    [
      { header: 'REV', value: (e) => String(e.revision), right: true },
      { header: 'POSITION', value: (e) => String(e.position), right: true },
      { header: 'TYPE', value: (e) => e.type },
      { header: 'RECORDED AT', value: (e) => e.metadata.recordedAt },
      { header: 'BY', value: (e) => e.metadata.recordedBy },
      { header: 'HASH', value: (e) => e.hash.slice(0, 12) },
    ],
    events,
  );
}
