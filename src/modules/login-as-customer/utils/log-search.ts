import { LOG_INDEX_WORD_LOOKUP_CHARS, LOG_WORD_SEPARATORS, SearchLookup } from "./log-sql"
import type { ModuleManager } from "./sql"

/** The trigram index over the searched text (LOG_SEARCH_TEXT in log-sql.ts). */
export const LOG_SEARCH_INDEX = "IDX_login_as_customer_log_entry_search_trgm"

/** A text found in at most this share of the log's lines is rare. */
const RARE_SHARE = 0.005
/** A part of the text found in more than this share of the lines is no use to look up alone. */
const COMMON_SHARE = 0.05
/** How long a process keeps the planner's sample of the searched text. */
const SAMPLE_TTL_MS = 10 * 60_000

/** Searched texts of lines drawn at random, and how much of the log they stand for. */
export type SearchSample = { common: Array<{ text: string; share: number }>; random: string[] }

let cached: { at: number; sample: SearchSample } | null = null

/**
 * The planner's own sample of the searched text (what `ANALYZE` keeps for the
 * trigram index's expression: its most common values with their share, and
 * the histogram's values drawn at random from the rest), read at most once
 * every SAMPLE_TTL_MS per process. Empty before the first `ANALYZE`.
 */
export async function searchSample(manager: ModuleManager): Promise<SearchSample> {
  if (cached && Date.now() - cached.at < SAMPLE_TTL_MS) {
    return cached.sample
  }
  const [row] = await manager.execute<Array<{ mcv: string[] | null; freqs: number[] | null; hist: string[] | null }>>(
    `select most_common_vals::text::text[] as "mcv", most_common_freqs::float8[] as "freqs",
            histogram_bounds::text::text[] as "hist"
       from pg_catalog.pg_stats
      where schemaname = current_schema() and tablename = ?`,
    [LOG_SEARCH_INDEX]
  )
  const sample: SearchSample = {
    common: (row?.mcv ?? []).map((text, i) => ({ text: text.toLowerCase(), share: Number(row?.freqs?.[i] ?? 0) })),
    random: (row?.hist ?? []).map((text) => text.toLowerCase()),
  }
  // Until the first ANALYZE there is nothing to keep: asked again next time.
  cached = sample.random.length || sample.common.length ? { at: Date.now(), sample } : null
  return sample
}

/** Forgets the sample read last: the next search reads it again (after a bulk load and `ANALYZE`). */
export function forgetSearchSample(): void {
  cached = null
}

/**
 * The share of the log's lines whose searched text holds `part` (lower
 * case), estimated from the sample; `holds` tells whether a sampled text
 * does (by default: anywhere in it).
 */
function shareOf(part: string, sample: SearchSample, holds = (text: string) => text.includes(part)): number {
  let common = 0
  let found = 0
  for (const value of sample.common) {
    common += value.share
    if (holds(value.text)) found += value.share
  }
  if (sample.random.length) {
    found += ((1 - common) * sample.random.filter(holds).length) / sample.random.length
  }
  return found
}

/**
 * The columns of a sampled text: LOG_SEARCH_TEXT joins seven with a space
 * each, the reason last (the only one that holds spaces of its own).
 */
function columnsOf(text: string): string[] {
  const parts = text.split(" ")
  return [...parts.slice(0, 6), parts.slice(6).join(" ")]
}

/**
 * The share of the log's lines the sample shows holding the text (0 without
 * a sample). A text with a space is looked for in each column of a sampled
 * text: across two of them (the end of an email and the action after it) it
 * is in no line, though it is in the joined text.
 */
export function textShare(q: string, sample: SearchSample): number {
  const part = q.toLowerCase()
  return part.includes(" ") ? shareOf(part, sample, (text) => columnsOf(text).some((column) => column.includes(part))) : shareOf(part, sample)
}

/**
 * The share of the log's lines the text's index returns to be checked, from
 * the sample: those holding every piece the lookup looks up (its words, its
 * rare parts, or else the text's runs of letters and digits, whose trigrams
 * the index intersects); every line for a text with none (0 without a sample).
 */
export function lookupShare(q: string, lookup: SearchLookup, sample: SearchSample): number {
  const looked = lookup.words?.length ? lookup.words : lookup.rareParts?.length ? lookup.rareParts : q.split(/[^A-Za-z0-9]+/)
  const pieces = looked.filter((piece) => piece.length > 0).map((piece) => piece.toLowerCase())
  if (!pieces.length) {
    return sample.random.length || sample.common.length ? 1 : 0
  }
  return shareOf(pieces[0], sample, (text) => pieces.every((piece) => text.includes(piece)))
}

/**
 * Whether the sample shows the text in at most RARE_SHARE of the lines: then
 * its lines are best found through the trigram index, not by reading the
 * newest lines first. False without a sample.
 */
export function isRareText(q: string, sample: SearchSample): boolean {
  return (sample.random.length > 0 || sample.common.length > 0) && shareOf(q.toLowerCase(), sample) <= RARE_SHARE
}

/**
 * The rarest parts of a search text, for the trigram index to look up
 * instead of the whole text. The index reads one posting list per trigram of
 * its pattern, and a text made rare by its combination (`emma.yilmaz4242@`)
 * is made of trigrams each found in many lines (`emm`, `yil`): the parts are
 * the text's runs of three letters or digits (ASCII, which pg_trgm splits
 * into trigrams whatever the locale) that the sample shows least often (at
 * most twice as often as the rarest, and in at most COMMON_SHARE of the
 * lines), joined where they overlap. Every line holding the text holds each
 * part: the exact match is checked on the lines found. Empty (look up the
 * whole text) without a sample, when every part of the text is common, or
 * when the sample holds a line with all the parts.
 */
export function rareSearchParts(q: string, sample: SearchSample): string[] {
  if (!sample.random.length && !sample.common.length) {
    return []
  }
  const shares: Array<number | null> = []
  for (let i = 0; i + 3 <= q.length; i++) {
    const window = q.slice(i, i + 3)
    shares.push(/^[A-Za-z0-9]{3}$/.test(window) ? shareOf(window.toLowerCase(), sample) : null)
  }
  const known = shares.filter((share): share is number => share !== null)
  const rarest = known.length ? Math.min(...known) : 1
  if (rarest > COMMON_SHARE) {
    return []
  }
  if (shares.every((share) => share === null || share <= 2 * rarest)) {
    return []
  }
  // A run next to a separator (`@`, `.`, a space) keeps it: pg_trgm reads
  // the word's edge as a trigram of its own ("42 " in "4242@").
  const separator = (c: string | undefined) => c !== undefined && /^[\x20-\x7e]$/.test(c) && !/^[A-Za-z0-9]$/.test(c)
  const parts: string[] = []
  let start = -1
  let end = -1
  const close = () => {
    if (start >= 0) parts.push(q.slice(separator(q[start - 1]) ? start - 1 : start, separator(q[end]) ? end + 1 : end))
  }
  shares.forEach((share, i) => {
    const rare = share !== null && share <= 2 * rarest
    if (rare && start >= 0 && i <= end - 2) {
      end = i + 3
    } else if (rare) {
      close()
      start = i
      end = i + 3
    }
  })
  close()
  // Lines holding every part but not the text are read and dropped: when the
  // sample shows the parts together, they are too many for that.
  const together = (text: string) => parts.every((part) => text.includes(part.toLowerCase()))
  const seen = sample.random.some(together) || sample.common.some((value) => together(value.text))
  return seen ? [] : parts
}

const SEPARATORS = new RegExp(LOG_WORD_SEPARATORS)

/**
 * The whole words of a search text, for the words index to look up
 * (LOG_SEARCH_WORDS in log-sql.ts): the runs between separators (ASCII
 * spaces and punctuation) with a separator on each side in the text, so
 * every line holding the text holds each of them as a word of its own
 * (`yilmaz4242` in `emma.yilmaz4242@`; `emma` may end a longer word). Only
 * those the sample shows in at most COMMON_SHARE of the lines (a common word
 * would return most of the log to check), all of them without a sample;
 * none longer than LOG_INDEX_WORD_LOOKUP_CHARS (the index holds such a word
 * in pieces).
 * Empty when the text has none: the trigram index answers it then.
 */
export function searchWords(q: string, sample: SearchSample): string[] {
  const words = q
    .split(SEPARATORS)
    .slice(1, -1)
    .filter((word) => word.length > 0 && [...word].length <= LOG_INDEX_WORD_LOOKUP_CHARS)
  const sampled = sample.random.length > 0 || sample.common.length > 0
  return [...new Set(words)].filter((word) => !sampled || shareOf(word.toLowerCase(), sample) <= COMMON_SHARE)
}
