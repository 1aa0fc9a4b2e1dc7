export type QueryValue = string | number | boolean | readonly string[] | null | undefined;

/** `path?a=1&b=x&b=y`: empty, false and null values are left out; lists become repeated keys, as forms send them. */
export function hrefWith(path: string, query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === false || value === '') continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.set(key, value === true ? '1' : String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
