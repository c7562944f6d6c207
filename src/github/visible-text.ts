/**
 * Invisible and bidirectional control characters: zero-width spaces and joiners, direction overrides and
 * isolates, the byte-order mark, soft hyphens, C0/C1 controls other than tab and newline, and the Unicode
 * tag characters and supplementary variation selectors that can carry whole hidden sentences ("ASCII
 * smuggling"). They can hide or reorder text an LLM reads (a "Trojan Source" comment), so they go.
 */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;

/** An HTML comment, which GitHub renders as nothing; one left open hides the rest of the text. */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

export const withoutInvisible = (text: string): string => text.replace(INVISIBLE, "").replace(/\r\n?/g, "\n");

/** What a reader of GitHub's page would see of a text, and nothing it would not: for text handed to a model. */
export const visibleText = (text: string): string => withoutInvisible(text.replace(HTML_COMMENT, ""));

/** Every string in a JSON value made visible text; everything else as it was. */
export function visibleDeep<T>(value: T): T {
  if (typeof value === "string") return visibleText(value) as T;
  if (Array.isArray(value)) return value.map(visibleDeep) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visibleDeep(v)])) as T;
  return value;
}
