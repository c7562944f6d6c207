import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { ErrorCode } from "../errors";
import { readNamedOperations, readSchema, sampleVariables, schemaDir } from "../operations/named-operations";
import { findPublicDir, pageSecurityHeaders } from "./static-files";

function notFound(res: Response, message: string): void {
  res.status(404).json({ errors: [{ message, extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
}

/**
 * The bare address and the GraphQL explorer: `/` lists what the
 * gateway serves, `/explorer` sends queries from the browser, with nothing fetched from anywhere but here.
 * Every route is named: the router is mounted at the root, so anything else falls through to the JSON 404.
 */
export function siteRouter(): Router {
  const publicDir = findPublicDir("site");
  const schemaFolder = schemaDir();
  const readme = join(dirname(schemaFolder), "README.md");
  const operations = readNamedOperations(join(schemaFolder, "operations"));
  const schema = readSchema(join(schemaFolder, "schema.graphql"));

  const router = express.Router();
  // Revalidated every time, so that a redeploy never mixes an old page with a new script.
  const file = (name: string, cache = "no-cache") => (_req: Request, res: Response) => {
    pageSecurityHeaders(res);
    res.setHeader("Cache-Control", cache);
    res.sendFile(join(publicDir, name));
  };

  router.get(["/", "/index.html"], file("index.html"));
  // base.css is every page's, /admin's too (served here, at the root, since both routers are always mounted).
  router.get("/base.css", file("base.css"));
  router.get("/site.css", file("site.css"));
  router.get("/README.md", (_req, res) => {
    pageSecurityHeaders(res);
    if (!existsSync(readme)) return notFound(res, "This gateway was deployed without its README.md.");
    res.setHeader("Cache-Control", "no-cache");
    // What it is; Chromium shows text/markdown as text, as it does text/plain.
    res.type("text/markdown; charset=utf-8").sendFile(readme);
  });

  // The page itself is never cached: it is where a caller token gets pasted.
  router.get("/explorer", file("explorer.html", "no-store"));
  router.get("/explorer/explorer.js", file("explorer.js"));
  router.get("/explorer/operations.json", (_req, res) => {
    pageSecurityHeaders(res);
    res.setHeader("Cache-Control", "no-cache");
    // Samples per request: a date placeholder means "a week ago" from today, not from the start.
    const now = new Date();
    res.json({ operations: operations.map((op) => ({ ...op, sampleVariables: sampleVariables(op, schema, now) })) });
  });
  router.use("/explorer", (_req, res) => {
    pageSecurityHeaders(res);
    notFound(res, "Not found: the explorer is /explorer.");
  });
  return router;
}
