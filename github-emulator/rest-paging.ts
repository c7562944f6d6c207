// Paging of REST lists as GitHub documents it ("Using pagination in the REST API",
// https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api): `per_page` 30 unless
// given, at most 100; `page` from 1; a `link` header naming the prev, next, last and first pages.

export function positiveInt(text: string | null, fallback: number): number {
  const n = Number(text);
  return text !== null && Number.isInteger(n) && n > 0 ? n : fallback;
}

/** `Link` with next/last (and prev/first), the other query parameters kept as the client sent them. */
export function linkHeader(pageUrl: string, search: URLSearchParams, page: number, lastPage: number): Record<string, string> {
  const link = (n: number, rel: string) => {
    const params = new URLSearchParams(search);
    params.set("page", String(n));
    return `<${pageUrl}?${params.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, "prev")] : []),
    ...(page < lastPage ? [link(page + 1, "next"), link(lastPage, "last")] : []),
    ...(page > 1 ? [link(1, "first")] : []),
  ];
  return links.length > 0 ? { link: links.join(", ") } : {};
}

/** The page of `items` the request asks for, and its `link` header (none when everything fits one page). */
export function pageOf<T>(items: readonly T[], search: URLSearchParams, pageUrl: string): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, positiveInt(search.get("per_page"), 30));
  const page = positiveInt(search.get("page"), 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  return { items: items.slice((page - 1) * perPage, page * perPage), headers: linkHeader(pageUrl, search, page, lastPage) };
}
