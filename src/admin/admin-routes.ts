import express, { type Router } from "express";
import { join } from "node:path";
import { ErrorCode } from "../errors";
import { findPublicDir, pageSecurityHeaders } from "../site/static-files";

/**
 * The integrations page at /admin: the reference client of the lifecycle API, under the same strict
 * headers as every page of the gateway (src/site/static-files.ts).
 */
export function adminRouter(publicDir: string = findPublicDir("admin")): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    pageSecurityHeaders(res);
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
  // As every unknown path of the gateway: JSON with a code, not a page.
  router.use((_req, res) => {
    res.status(404).json({ errors: [{ message: "Not found: the integrations page is /admin.", extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
  });
  return router;
}
