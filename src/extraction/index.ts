/** Extraction of candidate commitments from a text (issue 17). Pure: no I/O, no clock. */
export { extract, findDateline, type ExtractInput } from './extract.js';
export { findAmounts, describeAmount, type FoundAmount } from './amounts.js';
export { findDeadline, factDate, type FoundDeadline } from './deadlines.js';
export { findMentions, findPeople, type Mention, type Person } from './parties.js';
export { splitSentences, ABBREVIATIONS, type Sentence } from './sentences.js';
export * from './types.js';
