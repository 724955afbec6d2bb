/**
 * Parties: which states (ISO 3166 alpha-2) and organisations a text names, and who its people are.
 *
 * - Country names come from `i18n-iso-countries` (English, every alternative name it knows), plus
 *   a table of demonyms ("Uzbek", "Chinese"), capitals used for their governments ("Astana and
 *   Beijing can …") and groups ("Central Asian countries" = the five states).
 * - People: a title pattern ("Uzbek President Shavkat Mirziyoyev", "President of Türkiye Recep
 *   Tayyip Erdoğan", "President Sooronbay Jeenbekov of Kyrgyzstan") ties a name to a state, so a
 *   later "Erdoğan expressed …" or "Tokayev said" resolves to it.
 */
import isoCountries from 'i18n-iso-countries';
import { EXTRA_COUNTRY_NAMES } from '../domain/parties.js';

export interface Mention {
  start: number;
  end: number;
  codes: string[];
  /** How the mention was made: a name, an adjective, a capital, a group or an organisation. */
  via: 'name' | 'demonym' | 'capital' | 'group' | 'organisation';
}

export interface Person {
  name: string;
  code: string;
  /** Every token of the name that can stand for the person alone ("Xi", "Tokayev"). */
  tokens: string[];
  /** True for heads of state or government (a president, a leader, a prime minister). */
  leader: boolean;
  firstAt: number;
}

const DEMONYMS: Record<string, string> = {
  Uzbek: 'UZ',
  Uzbekistani: 'UZ',
  Kazakh: 'KZ',
  Kazakhstani: 'KZ',
  Kyrgyz: 'KG',
  Tajik: 'TJ',
  Tajikistani: 'TJ',
  Turkmen: 'TM',
  Chinese: 'CN',
  Russian: 'RU',
  American: 'US',
  Turkish: 'TR',
  Indian: 'IN',
  Pakistani: 'PK',
  Kuwaiti: 'KW',
  Bulgarian: 'BG',
  Saudi: 'SA',
  Azerbaijani: 'AZ',
  Afghan: 'AF',
  Iranian: 'IR',
  Mongolian: 'MN',
  Belarusian: 'BY',
  Japanese: 'JP',
  German: 'DE',
  French: 'FR',
  British: 'GB',
  Italian: 'IT',
  Ukrainian: 'UA',
  Georgian: 'GE',
  Armenian: 'AM',
  Korean: 'KR',
  Emirati: 'AE',
  Qatari: 'QA',
  Egyptian: 'EG',
};

/** Capitals that stand for their governments when they are the subject of a sentence. */
const CAPITALS: Record<string, string> = {
  Astana: 'KZ',
  Beijing: 'CN',
  Tashkent: 'UZ',
  Bishkek: 'KG',
  Dushanbe: 'TJ',
  Ashgabat: 'TM',
  Moscow: 'RU',
  Washington: 'US',
  Ankara: 'TR',
  Baku: 'AZ',
  Tokyo: 'JP',
  'New Delhi': 'IN',
  Islamabad: 'PK',
  Kabul: 'AF',
  Tehran: 'IR',
};

/** Names the library lacks or spells otherwise. */
const EXTRA_NAMES: Record<string, string> = {
  Turkiye: 'TR',
  Türkiye: 'TR',
  Kirghizia: 'KG',
  'Kyrgyz Republic': 'KG',
  Britain: 'GB',
  'Great Britain': 'GB',
  'Hong Kong': 'HK',
  Macau: 'MO',
};

export const CENTRAL_ASIA = ['KZ', 'KG', 'TJ', 'TM', 'UZ'];
const GROUPS: Array<[RegExp, string[]]> = [
  [
    /\b(?:the )?(?:five )?Central Asian? (?:[Cc]ountries|[Ss]tates|[Nn]ations|[Rr]epublics)\b/g,
    CENTRAL_ASIA,
  ],
];

const ORGANISATIONS: Array<[RegExp, string]> = [
  [/\bShanghai Cooperation Organi[sz]ation\b|\bSCO\b/g, 'SCO'],
  [/\bEuropean Union\b|\bEU\b/g, 'EU'],
  [/\bEurasian Economic Union\b|\bEAEU\b/g, 'EAEU'],
  [/\bASEAN\b/g, 'ASEAN'],
  [/\bBRICS\b/g, 'BRICS'],
  [/\bG20\b/g, 'G20'],
  [/\bG7\b/g, 'G7'],
  [/\bCommonwealth of Independent States\b|\bCIS\b/g, 'CIS'],
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function buildNameTable(): Map<string, string> {
  const table = new Map<string, string>();
  const all = isoCountries.getNames('en', { select: 'all' });
  for (const [code, names] of Object.entries(all)) {
    for (const name of names) {
      // Two-letter and three-letter forms only for the few that news uses as names.
      if (name.length < 4 && !['US', 'USA', 'UK', 'UAE', 'U.S.'].includes(name)) continue;
      table.set(name, code);
    }
  }
  // The domain's table of forms the library lacks (issue 15), as they are written in running
  // text: "Great Britain", "U.S.", "People's Republic of China". Demonyms go to DEMONYMS' side.
  for (const [lower, code] of Object.entries(EXTRA_COUNTRY_NAMES)) {
    if (!/^[a-z .'-]+$/.test(lower) || lower.length < 4) continue;
    const written = lower.replace(/(^|[\s.'-])([a-z])/g, (_m, sep: string, c: string) =>
      sep === "'" ? `${sep}${c}` : `${sep}${c.toUpperCase()}`,
    );
    if (!(written in DEMONYMS)) table.set(written, code);
  }
  for (const [name, code] of Object.entries(EXTRA_NAMES)) table.set(name, code);
  table.set('UK', 'GB');
  table.set('UAE', 'AE');
  return table;
}

const NAMES = buildNameTable();

function alternation(keys: Iterable<string>): string {
  return [...keys]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');
}

// Names may be followed by a possessive; "U.S." ends in a dot, so the right boundary is a lookahead.
const NAME_RE = new RegExp(`(?<![\\w.])(?:${alternation(NAMES.keys())})(?![\\w$])`, 'gu');
const DEMONYM_RE = new RegExp(`(?<![\\w])(?:${alternation(Object.keys(DEMONYMS))})(?![\\w])`, 'gu');
const CAPITAL_RE = new RegExp(`(?<![\\w])(?:${alternation(Object.keys(CAPITALS))})(?![\\w])`, 'gu');

/** Every mention of a state, group or organisation in `text`, in order, without overlaps. */
export function findMentions(text: string): Mention[] {
  const out: Mention[] = [];
  // Characters already inside a mention: an overlap check that stays linear.
  const taken = new Uint8Array(text.length + 1);
  const add = (start: number, end: number, codes: string[], via: Mention['via']): void => {
    for (let i = start; i < end; i++) if (taken[i]) return;
    taken.fill(1, start, end);
    out.push({ start, end, codes, via });
  };
  for (const [re, codes] of GROUPS) {
    for (const m of text.matchAll(re)) add(m.index, m.index + m[0].length, codes, 'group');
  }
  for (const [re, org] of ORGANISATIONS) {
    for (const m of text.matchAll(re)) add(m.index, m.index + m[0].length, [org], 'organisation');
  }
  for (const m of text.matchAll(NAME_RE)) {
    const code = NAMES.get(m[0]);
    if (code) add(m.index, m.index + m[0].length, [code], 'name');
  }
  for (const m of text.matchAll(DEMONYM_RE)) {
    const code = DEMONYMS[m[0]];
    if (code) add(m.index, m.index + m[0].length, [code], 'demonym');
  }
  for (const m of text.matchAll(CAPITAL_RE)) {
    const code = CAPITALS[m[0]];
    if (code) add(m.index, m.index + m[0].length, [code], 'capital');
  }
  return out.sort((a, b) => a.start - b.start);
}

/** A personal name: two to four capitalised tokens (initials and hyphens allowed). */
const NAME_TOKEN = String.raw`(?:(?:[A-Z]\p{Ll}?\.-?)+|[A-Z][\p{Ll}'’]+(?:-[A-Z][\p{Ll}]+)?)`;
const PERSON = String.raw`(${NAME_TOKEN}(?: ${NAME_TOKEN}){0,3})`;
const TITLE = String.raw`(President|Prime Minister|Premier|Vice Premier|Leader|Chairman|Foreign Minister|Minister|Ambassador|King|Emir|Chancellor)`;
const TITLE_WORDS = new Set(
  'President Prime Minister Premier Vice Leader Chairman Foreign Ambassador King Emir Chancellor First Our The Of Republic'.split(
    ' ',
  ),
);

/**
 * People the text ties to a state through a title. Patterns:
 * "<Demonym|Country's> President <Name>", "President of (the Republic of) <Country> <Name>",
 * "President <Name> of <Country>".
 */
export function findPeople(text: string, mentions: Mention[]): Person[] {
  const people: Person[] = [];
  const stateAt = (start: number, end: number): string | undefined =>
    mentions.find((m) => m.start >= start && m.end <= end && m.via !== 'organisation')?.codes[0];
  const add = (rawName: string, code: string | undefined, title: string, at: number): void => {
    if (!code) return;
    const tokens = rawName
      .replace(/(\p{Ll}{2})\.$/u, '$1')
      .split(/\s+/)
      .map((t) => t.replace(/of$/, ''))
      .filter((t) => t.length > 1 && !TITLE_WORDS.has(t) && !NAMES.has(t) && !(t in DEMONYMS));
    if (tokens.length === 0) return;
    const name = tokens.join(' ');
    const leader = /President|Prime Minister|Premier|Leader|King|Emir|Chancellor/.test(title);
    const same = people.find((p) => p.tokens.at(-1) === tokens.at(-1));
    if (same) {
      if (name.length > same.name.length && !name.includes('.')) same.name = name;
      return;
    }
    people.push({
      name,
      code,
      tokens: tokens.filter((t) => !t.includes('.')),
      leader,
      firstAt: at,
    });
  };
  const adjective = `(?:${alternation(Object.keys(DEMONYMS))}|(?:${alternation(NAMES.keys())})['’]s)`;
  const patterns: Array<[RegExp, (m: RegExpExecArray) => void]> = [
    [
      new RegExp(String.raw`(${adjective}) ${TITLE} ${PERSON}`, 'gu'),
      (m) => add(m[3] ?? '', stateAt(m.index, m.index + (m[1] ?? '').length), m[2] ?? '', m.index),
    ],
    [
      new RegExp(
        String.raw`${TITLE} of (?:the )?(?:Republic of |United States of )?((?:${alternation(NAMES.keys())})) ${PERSON}`,
        'gu',
      ),
      (m) => add(m[3] ?? '', NAMES.get(m[2] ?? ''), m[1] ?? '', m.index),
    ],
    [
      new RegExp(
        String.raw`${TITLE} ${PERSON} ?of (?:the )?((?:${alternation(NAMES.keys())}))`,
        'gu',
      ),
      (m) => add(m[2] ?? '', NAMES.get(m[3] ?? ''), m[1] ?? '', m.index),
    ],
  ];
  for (const [re, handle] of patterns) for (const m of text.matchAll(re)) handle(m);
  return people.sort((a, b) => a.firstAt - b.firstAt);
}

/** The person a token names ("Tokayev", "Xi"), if the text introduced them with a title. */
export function personByToken(people: Person[], token: string): Person | undefined {
  return people.find((p) => p.tokens.includes(token));
}
