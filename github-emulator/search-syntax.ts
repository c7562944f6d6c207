// GitHub's search syntax, shared by issue search (GraphQL) and code search (REST): words, "quoted
// phrases", qualifiers (`label:bug`, `label:"needs triage"`), negation (`-label:bug`) and ranges
// for dates (`merged:>=2026-11-16`, `created:2026-01-01..2026-01-31`) and numbers (`comments:>5`).

export interface SearchTerm {
  negated: boolean;
  /** Lower-cased qualifier name; undefined for a free word or phrase. */
  qualifier?: string;
  /** Unquoted value (the word itself for a free word). */
  value: string;
}

const QUALIFIER = /^(-?)([A-Za-z][A-Za-z_-]*):(.*)$/s;

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text.replace(/"/g, "");
}

/** Splits on whitespace outside double quotes. */
function rawTokens(query: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of query) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (current) tokens.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}

export function parseSearchQuery(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const token of rawTokens(query)) {
    const match = QUALIFIER.exec(token);
    if (match && match[3] !== "") {
      terms.push({ negated: match[1] === "-", qualifier: match[2].toLowerCase(), value: unquote(match[3]) });
      continue;
    }
    // Boolean keywords: AND is implicit; OR and NOT are not modelled.
    if (token === "AND") continue;
    const negated = token.startsWith("-") && token.length > 1;
    const value = unquote(negated ? token.slice(1) : token);
    if (value) terms.push({ negated, value });
  }
  return terms;
}

export type RangePredicate<T> = (value: T) => boolean;

interface Span {
  /** First instant inside. */
  start: number;
  /** First instant after. */
  end: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` covers the whole UTC day; a full ISO date-time is one instant. */
function dateSpan(text: string): Span | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const start = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(start) ? null : { start, end: start + DAY_MS };
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : { start: at, end: at + 1 };
}

function numberSpan(text: string): Span | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return { start: n, end: n + 1 };
}

function rangeOf(text: string, span: (text: string) => Span | null): RangePredicate<number> | null {
  const comparison = /^(>=|<=|>|<)(.+)$/.exec(text);
  if (comparison) {
    const s = span(comparison[2]);
    if (!s) return null;
    switch (comparison[1]) {
      case ">=": return (v) => v >= s.start;
      case ">": return (v) => v >= s.end;
      case "<": return (v) => v < s.start;
      default: return (v) => v < s.end;
    }
  }
  const between = /^(.+?)\.\.(.+)$/.exec(text);
  if (between) {
    const from = between[1] === "*" ? { start: Number.NEGATIVE_INFINITY, end: Number.NEGATIVE_INFINITY } : span(between[1]);
    const to = between[2] === "*" ? { start: Number.POSITIVE_INFINITY, end: Number.POSITIVE_INFINITY } : span(between[2]);
    if (!from || !to) return null;
    return (v) => v >= from.start && v < to.end;
  }
  const exact = span(text);
  return exact ? (v) => v >= exact.start && v < exact.end : null;
}

/** `>=2026-11-16`, `<2026-01-01`, `2026-01-01..2026-01-31`, `2026-01-01..*`, `2026-01-01`. Null when malformed. */
export function dateRange(text: string): RangePredicate<Date | null> | null {
  const inRange = rangeOf(text, dateSpan);
  return inRange ? (date) => date !== null && inRange(date.getTime()) : null;
}

/** `>5`, `<=10`, `3..7`, `4`. Null when malformed. */
export function numberRange(text: string): RangePredicate<number> | null {
  return rangeOf(text, numberSpan);
}

/** Case-insensitive containment of every positive word and no negative one. */
export function matchesWords(words: SearchTerm[], haystacks: string[]): boolean {
  const text = haystacks.join("\n").toLowerCase();
  return words.every((w) => text.includes(w.value.toLowerCase()) !== w.negated);
}

/** GitHub's REST search docs: "Limitations on query length" (the same engine serves GraphQL's `search`). */
export const MAX_SEARCH_TEXT = 256;
export const MAX_SEARCH_OPERATORS = 5;
const OPERATORS = new Set(["AND", "OR", "NOT"]);

/**
 * What GitHub refuses in a search: more than 256 characters "not including operators or qualifiers", or
 * more than five AND, OR or NOT operators. `qualifiers` are the names the search knows; any other `x:y` is
 * text to GitHub and counts. Null when the query is within both limits.
 */
export function searchLimitProblem(query: string, qualifiers: ReadonlySet<string>): string | null {
  const tokens = rawTokens(query);
  const operators = tokens.filter((t) => OPERATORS.has(t)).length;
  if (operators > MAX_SEARCH_OPERATORS) return `The search contains ${operators} AND, OR or NOT operators; at most ${MAX_SEARCH_OPERATORS} are allowed.`;
  const text = tokens
    .filter((t) => !OPERATORS.has(t))
    .filter((t) => {
      const match = QUALIFIER.exec(t);
      return !(match && match[3] !== "" && qualifiers.has(match[2].toLowerCase()));
    })
    .join(" ");
  return text.length > MAX_SEARCH_TEXT ? `The search is longer than ${MAX_SEARCH_TEXT} characters (not including operators or qualifiers).` : null;
}
