import type { Response } from "express";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Where `src/<subdir>/public` is. Static files are not compiled by tsc, so they are found from the
 * project root: a module runs as src/... under ts-jest and as dist/src/... under `npm start`, and the
 * nearest directory above it holding both package.json and that folder is the project root.
 */
export function findPublicDir(subdir: string, from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "src", subdir, "public");
    if (existsSync(join(dir, "package.json")) && existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    if (dirname(dir) === dir) throw new Error(`static files: no src/${subdir}/public above ${from}`);
  }
}

/**
 * The gateway's pages load only its own files and talk only to its own /graphql: no inline script or
 * style, no other origin, no form submission (forms are sent with fetch, so a token never lands in a URL).
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The headers every page of the gateway and every file it loads is sent with. */
export function pageSecurityHeaders(res: Response, csp: string = PAGE_CSP): void {
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
}
