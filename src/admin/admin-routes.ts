import express, { type Response, type Router } from "express";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The static files are not compiled by tsc, so they are found from the project root: this module runs
 * as src/admin/admin-routes.ts under ts-jest and as dist/src/admin/admin-routes.js under `npm start`.
 */
export function findPublicDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "src", "admin", "public");
    if (existsSync(join(dir, "package.json")) && existsSync(join(candidate, "index.html"))) return candidate;
    if (dirname(dir) === dir) throw new Error(`admin page: no src/admin/public above ${from}`);
  }
}

/**
 * Only the gateway's own files and its own /graphql: no inline script or style, no other origin, and no
 * form submission at all (every form is sent by admin.js with fetch, so a key can never end up in a URL).
 */
export const ADMIN_CSP = [
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

function securityHeaders(res: Response): void {
  res.setHeader("Content-Security-Policy", ADMIN_CSP);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
}

/** The integrations page at /admin: the reference client of the lifecycle API (issue 6). */
export function adminRouter(publicDir: string = findPublicDir()): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    securityHeaders(res);
    next();
  });
  // The page itself: never cached, since it is where a caller token gets pasted.
  router.get(["/", "/index.html"], (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.sendFile(join(publicDir, "index.html"));
  });
  router.use(
    express.static(publicDir, {
      index: false,
      dotfiles: "ignore",
      fallthrough: true,
      // Revalidate scripts and styles every time, so a redeploy never mixes old and new modules.
      setHeaders: (res) => res.setHeader("Cache-Control", "no-cache"),
    }),
  );
  router.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found.");
  });
  return router;
}
