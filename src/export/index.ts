export { CSV_COLUMNS, csvRecord, renderCsv, type CsvColumn } from './csv.js';
export { eventUid, renderIcs, UID_DOMAIN, type IcsOptions } from './ics.js';
export { toNdjsonLine } from './ndjson.js';
export { allViews } from './collect.js';
export { historyEntry, HistoryEntrySchema, type HistoryEntry } from './history.js';
export { replayJsonChunks, writeChunks } from './replay-json.js';
