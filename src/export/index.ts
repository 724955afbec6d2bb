export {
  CSV_COLUMNS,
  csvCell,
  csvHeader,
  csvRecord,
  csvRow,
  renderCsv,
  UTF8_BOM,
  type CsvColumn,
  type CsvOptions,
} from './csv.js';
export {
  DEFAULT_PRODID,
  escapeText,
  eventUid,
  foldLine,
  icsEvents,
  icsHeader,
  ICS_FOOTER,
  renderIcs,
  UID_DOMAIN,
  type IcsOptions,
} from './ics.js';
export { formatAmount, sourceLine } from './format.js';
export { toNdjsonLine } from './ndjson.js';
export {
  calendarName,
  csvChunks,
  EXPORT_PAGE,
  icsChunks,
  ndjsonChunks,
  viewPages,
  yieldToEventLoop,
  type EventReader,
  type ViewLister,
  type ViewSelection,
} from './stream.js';
export { historyEntry, HistoryEntrySchema, type HistoryEntry } from './history.js';
export { replayJsonChunks } from './replay-json.js';
