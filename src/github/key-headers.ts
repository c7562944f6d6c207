// What GitHub's answer headers say about the key that sent the request: read at connect and renew
// (key-inspector.ts) and on every answer (the gate notes an expiry coming).

/** `GitHub-Authentication-Token-Expiration: 2027-01-01 00:00:00 UTC` (or a numeric offset). */
export function parseExpiration(value: string | null): Date | null {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})\s*(UTC|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const zone = !m[3] || m[3] === "UTC" ? "Z" : m[3].replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  const d = new Date(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `X-OAuth-Scopes: repo, read:org` (classic keys; fine-grained keys send none). */
export function parseScopes(value: string | null): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}
