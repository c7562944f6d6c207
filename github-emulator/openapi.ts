import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

// The emulator's REST side checked against GitHub's own OpenAPI description (@octokit/openapi,
// dereferenced): requests to the routes it serves must use declared query parameters, and every
// answer must match the schema declared for its status. Loaded lazily, once per process (once per
// test file under Jest). The file is ~70 MB of JSON and costs about a second to parse, so the first load
// on a machine keeps what the emulator needs (every path's methods; whole operations only for the paths it
// serves) under node_modules/.cache, and later loads read that.

const DESCRIPTION_FILE = join("node_modules", "@octokit", "openapi", "generated", "api.github.com.deref.json");
const JSON_MEDIA_TYPE = "application/json";

type Json = Record<string, unknown>;
interface Parameter { name: string; in: string; schema?: Json }
interface ResponseSpec { content?: Record<string, { schema?: Json }> }
interface OperationSpec { operationId?: string; parameters?: Parameter[]; responses?: Record<string, ResponseSpec>; externalDocs?: { url?: string }; tags?: string[] }

export interface OpenApiOperation {
  method: string;
  /** The path template, e.g. `/search/code`. */
  template: string;
  /** e.g. `search/code`. */
  id: string;
  spec: OperationSpec;
}

export interface Answer { status: number; headers?: Record<string, string>; body?: unknown }

interface Template { template: string; item: Record<string, OperationSpec>; strict: RegExp; loose?: RegExp; rank: string }

let templates: Template[] | undefined;
const validators = new Map<string, ValidateFunction>();
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// OpenAPI's numeric formats and GitHub's own ("repo.nwo", "uri-template", ...) carry no extra check here.
for (const name of ["int32", "int64", "float", "double", "byte", "binary", "password", "uri-template", "timestamp", "repo.nwo"]) {
  ajv.addFormat(name, true);
}

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function findDescription(): string {
  // Read by path, as github-schema.ts reads @octokit/graphql-schema: the package's index.js would load every description.
  for (const start of [process.cwd(), __dirname]) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, DESCRIPTION_FILE))) return join(dir, DESCRIPTION_FILE);
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`GitHub emulator: cannot find ${DESCRIPTION_FILE} above ${process.cwd()} or ${__dirname}`);
}

/** The paths the emulator answers (rest-handler.ts's routes): their operations are kept whole in the cache. */
export const SERVED_TEMPLATES: readonly string[] = [
  "/user", "/user/repos", "/organizations", "/search/code",
  "/repos/{owner}/{repo}/issues/{issue_number}", "/repos/{owner}/{repo}/issues/{issue_number}/comments",
  "/repos/{owner}/{repo}/pulls/{pull_number}", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
  "/repos/{owner}/{repo}/commits/{ref}/status", "/repos/{owner}/{repo}/commits/{ref}/check-runs",
];
const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

type Paths = Record<string, Record<string, OperationSpec>>;

/** Every path's operations by method: whole for the served paths, by operationId alone for the others. */
function compact(paths: Paths): Paths {
  return Object.fromEntries(Object.entries(paths).map(([template, item]) => [
    template,
    Object.fromEntries(Object.entries(item).filter(([m, op]) => METHODS.has(m) && isObject(op))
      .map(([m, op]) => [m, SERVED_TEMPLATES.includes(template) ? op : { operationId: op.operationId }])),
  ]));
}

function readPaths(): Paths {
  const file = findDescription();
  const { size, mtimeMs } = statSync(file);
  const served = createHash("sha1").update(SERVED_TEMPLATES.join(" ")).digest("hex").slice(0, 8);
  const cache = join(dirname(file), "..", "..", "..", ".cache", "github-emulator", `openapi-${size}-${Math.floor(mtimeMs)}-${served}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, "utf8")) as Paths;
  const raw: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!isObject(raw) || !isObject(raw.paths)) throw new Error("GitHub emulator: the OpenAPI description has no paths");
  const paths = compact(raw.paths as Paths);
  try {
    // Written aside and renamed, so that test files loading at once never read half a file.
    mkdirSync(dirname(cache), { recursive: true });
    const partial = `${cache}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(paths));
    renameSync(partial, cache);
  } catch {
    // A read-only node_modules: every load then parses the whole description, slower but the same.
  }
  return paths;
}

/** Loads the description (first call only) and indexes its path templates. */
export function loadOpenApi(): number {
  if (templates) return templates.length;
  templates = Object.entries(readPaths()).map(([template, item]) => {
    const segments = template.split("/").slice(1);
    const pattern = (last: string) => new RegExp(`^/${segments.map((s, i) => (i === segments.length - 1 && last ? last
      : s.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+"))).join("/")}$`);
    // A trailing {path} or {ref} may hold slashes on GitHub (contents, git refs): tried after exact matches.
    const loose = /^\{[^}]+\}$/.test(segments[segments.length - 1] ?? "") ? pattern(".+") : undefined;
    // Literal segments beat parameters, left to right: /user/repos wins over /user/{account_id}.
    return { template, item, strict: pattern(""), loose, rank: segments.map((s) => (s.includes("{") ? "0" : "1")).join("") };
  });
  return templates.length;
}

/** The operation for a concrete path such as `/search/code` or `/repos/acme/webshop/issues/1`. */
export function findOperation(method: string, path: string): OpenApiOperation | undefined {
  loadOpenApi();
  const concrete = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const m = method.toLowerCase();
  for (const kind of ["strict", "loose"] as const) {
    const found = (templates ?? [])
      .filter((t) => isObject(t.item[m]) && t[kind]?.test(concrete))
      .sort((a, b) => (a.rank < b.rank ? 1 : a.rank > b.rank ? -1 : 0))[0];
    if (found) {
      const spec = found.item[m];
      return { method: method.toUpperCase(), template: found.template, id: spec.operationId ?? `${m} ${found.template}`, spec };
    }
  }
  return undefined;
}

/** OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes a null type; text matches may be forbidden. */
function toJsonSchema(node: unknown, forbidTextMatches: boolean): unknown {
  if (!isObject(node)) return node;
  const out: Json = { ...node };
  const sub = (value: unknown) => toJsonSchema(value, forbidTextMatches);
  for (const key of ["items", "not", "additionalProperties"]) if (isObject(out[key])) out[key] = sub(out[key]);
  for (const key of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map(sub);
  if (isObject(node.properties)) {
    // GitHub adds text_matches only for the text-match media type; a plain answer carrying them is wrong.
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([name, schema]) =>
      [name, forbidTextMatches && name === "text_matches" ? false : sub(schema)]));
  }
  if (out.nullable !== true) return out;
  delete out.nullable;
  const combined = ["allOf", "anyOf", "oneOf"].some((k) => k in out);
  if (typeof out.type !== "string" || combined) return { anyOf: [{ type: "null" }, out] };
  out.type = [out.type, "null"];
  // GitHub's enums leave null out even where the value may be null (e.g. state_reason).
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

function validator(cacheKey: string, schema: Json, forbidTextMatches = false): ValidateFunction {
  let validate = validators.get(cacheKey);
  if (!validate) {
    validate = ajv.compile(toJsonSchema(schema, forbidTextMatches) as Json);
    validators.set(cacheKey, validate);
  }
  return validate;
}

/** A query string value as the declared type, or the string itself when it is not one (ajv then refuses it). */
function typed(schema: Json, values: string[]): unknown {
  const arrayBranch = [schema, ...(Array.isArray(schema.oneOf) ? schema.oneOf : [])].find((s) => isObject(s) && s.type === "array");
  if (isObject(arrayBranch) && (schema.type === "array" || values.length > 1)) {
    const items = isObject(arrayBranch.items) ? arrayBranch.items : {};
    return values.map((v) => typed(items, [v]));
  }
  const value = values[values.length - 1] ?? "";
  if (schema.type === "integer" && /^-?\d+$/.test(value)) return Number(value);
  if (schema.type === "number" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  if (schema.type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

/** GitHub's 422 naming the first undeclared or ill-typed query parameter; undefined when all are declared. */
export function refuseQuery(operation: OpenApiOperation, search: URLSearchParams): Answer | undefined {
  const declared = new Map((operation.spec.parameters ?? []).filter((p) => p.in === "query").map((p) => [p.name, p]));
  const names = [...new Set([...search.keys()])];
  for (const name of names) {
    const parameter = declared.get(name.replace(/\[\]$/, ""));
    const valid = parameter && validator(`${operation.id} ?${parameter.name}`, parameter.schema ?? {})(typed(parameter.schema ?? {}, search.getAll(name)));
    if (valid) continue;
    const resource = (operation.spec.tags?.[0] ?? operation.id.split("/")[0] ?? "").replace(/^./, (c) => c.toUpperCase());
    return {
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [{ resource, field: name, code: "invalid" }],
        documentation_url: operation.spec.externalDocs?.url ?? "https://docs.github.com/rest",
        status: "422",
      },
    };
  }
  return undefined;
}

function describe(error: ErrorObject): string {
  const { instancePath, keyword, params } = error;
  if (keyword === "required") return `${instancePath}/${String(params.missingProperty)}: required property is missing`;
  if (keyword === "additionalProperties") return `${instancePath}/${String(params.additionalProperty)}: property not in the schema`;
  if (keyword === "false schema" && instancePath.endsWith("/text_matches")) {
    return `${instancePath}: sent only with the text-match media type (application/vnd.github.text-match+json)`;
  }
  return `${instancePath || "/"}: ${error.message ?? keyword} (${error.schemaPath})`;
}

/**
 * Throws when an answer does not match the response the operation declares for its status: the
 * emulator then answers 500 "GitHub emulator error: ...". Statuses the operation does not declare pass.
 */
export function assertAnswer(operation: OpenApiOperation, answer: Answer, textMatch: boolean): void {
  const declared = operation.spec.responses?.[String(answer.status)] ?? operation.spec.responses?.default;
  if (!declared) return;
  const where = `${operation.method} ${operation.template} (${operation.id}) answered ${answer.status}`;
  const content = declared.content ?? {};
  if (Object.keys(content).length === 0) {
    if (answer.body !== undefined) throw new Error(`${where} with a body; GitHub's OpenAPI description declares none`);
    return;
  }
  const mediaType = (answer.headers?.["content-type"] ?? JSON_MEDIA_TYPE).split(";")[0]?.trim() ?? JSON_MEDIA_TYPE;
  const schema = content[mediaType]?.schema;
  if (!schema) throw new Error(`${where} as ${mediaType}; GitHub's OpenAPI description declares ${Object.keys(content).join(", ")}`);
  const validate = validator(`${operation.id} ${answer.status} ${mediaType} ${textMatch}`, schema, !textMatch);
  if (validate(answer.body)) return;
  const errors = validate.errors ?? [];
  // oneOf/anyOf summaries say less than the branch errors they sit above.
  const specific = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf");
  const problems = (specific.length > 0 ? specific : errors).map(describe);
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : "";
  throw new Error(`${where} a body that does not match GitHub's OpenAPI description: ${problems.slice(0, 5).join("; ")}${more}`);
}
