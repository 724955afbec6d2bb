/**
 * Party names: a country given by name (English or Russian), by ISO alpha-2 or alpha-3 code, or
 * by a demonym used as a name, is stored and queried as its ISO 3166-1 alpha-2 code; anything
 * else (an organisation such as "European Union" or "ASEAN") stays the name it was given.
 *
 * The names come from i18n-iso-countries (official and common names, English and Russian); a
 * small table below adds the forms it lacks. Pure and cached: the projection calls it for every
 * party of every replayed commitment, and queries call it for `?party=`.
 */
import countries from 'i18n-iso-countries';
// JSON imports, not createRequire: the dashboard bundles the domain for the browser.
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import ru from 'i18n-iso-countries/langs/ru.json' with { type: 'json' };

countries.registerLocale(en as countries.LocaleData);
countries.registerLocale(ru as countries.LocaleData);

/**
 * Forms the library does not know, lower-cased: long official names, demonyms used as names
 * ("the Kazakh side"), and a few Russian short forms. Keys are matched after the prefixes in
 * STRIPPED_PREFIXES have been tried.
 */
export const EXTRA_COUNTRY_NAMES: Readonly<Record<string, string>> = {
  britain: 'GB',
  'great britain': 'GB',
  british: 'GB',
  england: 'GB',
  american: 'US',
  usa: 'US',
  'u.s.': 'US',
  'u.s.a.': 'US',
  russian: 'RU',
  chinese: 'CN',
  prc: 'CN',
  "people's republic of china": 'CN',
  китай: 'CN',
  'китайская народная республика': 'CN',
  кнр: 'CN',
  japanese: 'JP',
  indian: 'IN',
  german: 'DE',
  french: 'FR',
  italian: 'IT',
  canadian: 'CA',
  brazilian: 'BR',
  kazakh: 'KZ',
  kazakhstani: 'KZ',
  uzbek: 'UZ',
  uzbekistani: 'UZ',
  kyrgyz: 'KG',
  tajik: 'TJ',
  turkmen: 'TM',
  azerbaijani: 'AZ',
  armenian: 'AM',
  georgian: 'GE',
  belarusian: 'BY',
  ukrainian: 'UA',
  turkish: 'TR',
  korea: 'KR',
  'south korean': 'KR',
  'north korea': 'KP',
  syria: 'SY',
  laos: 'LA',
  moldova: 'MD',
  'viet nam': 'VN',
  'соединённые штаты америки': 'US',
  'соединенные штаты америки': 'US',
  'соединённые штаты': 'US',
  'соединенные штаты': 'US',
  великобритания: 'GB',
  'соединённое королевство': 'GB',
  'соединенное королевство': 'GB',
};

/** Prefixes of official names tried off when the whole name is not known ("Republic of Kazakhstan"). */
const STRIPPED_PREFIXES: readonly RegExp[] = [
  /^the\s+/,
  /^(?:the\s+)?(?:republic|kingdom|state|commonwealth|federation|federal republic|islamic republic|united republic|democratic republic|people's republic|sultanate|principality|grand duchy)\s+of\s+(?:the\s+)?/,
  /^(?:республика|королевство|государство|федерация)\s+/,
];

const cache = new Map<string, string>();
const MAX_CACHED = 4096;

/** The table as a Map: a plain-object lookup would answer `__proto__` or `constructor`. */
const EXTRA = new Map<string, string>(Object.entries(EXTRA_COUNTRY_NAMES));

function lookup(name: string): string | undefined {
  const lower = name.toLowerCase();
  const extra = EXTRA.get(lower);
  if (extra !== undefined) return extra;
  if (/^[a-z]{3}$/i.test(name)) {
    const a2 = countries.alpha3ToAlpha2(name.toUpperCase());
    if (a2 !== undefined) return a2;
  }
  const code = countries.getAlpha2Code(name, 'en') ?? countries.getAlpha2Code(name, 'ru');
  // Only ever a two-letter code: nothing inherited from a prototype can come out of here.
  return typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : undefined;
}

/**
 * The stored form of a party: an ISO alpha-2 code, upper-cased, for a country; the trimmed name
 * otherwise. Any two-letter input is taken as a code (upper-cased), as before. Idempotent.
 *
 * @example normaliseParty('Kazakhstan') === 'KZ'; normaliseParty('Республика Казахстан') === 'KZ';
 *   normaliseParty('KAZ') === 'KZ'; normaliseParty('kz') === 'KZ';
 *   normaliseParty('European Union') === 'European Union'
 */
export function normaliseParty(party: string): string {
  const input = party.trim();
  if (/^[a-z]{2}$/i.test(input)) return input.toUpperCase();
  // Names longer than any country's are organisations; skip the lookup.
  if (input.length > 80) return input;
  const hit = cache.get(input);
  if (hit !== undefined) return hit;
  const name = input.replace(/\s+/g, ' ');
  let code = lookup(name);
  if (code === undefined) {
    const lower = name.toLowerCase();
    for (const re of STRIPPED_PREFIXES) {
      const rest = lower.replace(re, '');
      if (rest !== lower && rest.length > 0) {
        code = lookup(rest);
        if (code !== undefined) break;
      }
    }
  }
  const out = code ?? input;
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(input, out);
  return out;
}

/** Normalise a list of parties, keeping the first occurrence of each stored form. */
export function normaliseParties(parties: readonly string[]): string[] {
  return [...new Set(parties.map(normaliseParty))];
}
