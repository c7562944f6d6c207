import { join } from "node:path";
import { parseArgs } from "node:util";
import { roles, signCallerToken, type Role } from "../auth/caller-token";
import { loadConfig } from "../config";
import { readNamedOperations, readSchema, sampleVariables, schemaDir, type NamedOperation } from "../operations/named-operations";
import { runCli } from "./args";

const USAGE = `usage: npm run op -- [OPERATION ['{"variable": ...}']] [--tenant T] [--role R] [--sub S] [--token JWT] [--url URL]

Sends one of the named operations of schema/operations/ to the gateway and prints the answer.
Without an operation, lists them with their variables.

  --tenant T   the workspace (default acme, the demo's connected one)
  --role R     admin, member or service (default service: the assistant's role)
  --sub S      the caller (default op-cli)
  --token JWT  send this caller token instead of minting one (also: TOKEN in the environment)
  --url URL    the gateway (default: GATEWAY in the environment, else http://127.0.0.1:$PORT, PORT 4000)

A minted token is signed with the secret the gateway reads (AUTH_JWT_SECRET, else DATA_DIR's generated one,
as npm start, npm run demo and npm run token use).`;

function listing(operations: NamedOperation[]): string {
  const lines = operations.map((op) => {
    const vars = op.variables.map((v) => `${v.name}: ${v.type}${v.defaultValue !== undefined ? ` = ${v.defaultValue}` : ""}`).join(", ");
    const about = /^#\s*(.*)$/m.exec(op.text)?.[1] ?? "";
    return `  ${op.name}(${vars})\n      ${about}`;
  });
  return `The named operations (schema/operations/):\n${lines.join("\n")}\n\n${USAGE}\n`;
}

/** The variables given, checked against what the operation declares, before anything is sent. */
function variablesFor(op: NamedOperation, given: string | undefined, sample: Record<string, unknown>): Record<string, unknown> {
  let variables: unknown = {};
  if (given !== undefined) {
    try {
      variables = JSON.parse(given);
    } catch {
      throw new Error(`the variables are not JSON: ${given.slice(0, 80)}\nfor example: '${JSON.stringify(sample)}'`);
    }
  }
  if (!variables || typeof variables !== "object" || Array.isArray(variables)) throw new Error(`the variables must be a JSON object, for example '${JSON.stringify(sample)}'`);
  const declared = new Set(op.variables.map((v) => v.name));
  const unknown = Object.keys(variables).filter((name) => !declared.has(name));
  if (unknown.length) throw new Error(`${op.name} has no variable ${unknown.join(", ")}; it takes ${op.variables.map((v) => `${v.name}: ${v.type}`).join(", ")}`);
  const missing = op.variables.filter((v) => v.type.endsWith("!") && v.defaultValue === undefined && !(v.name in variables));
  if (missing.length) throw new Error(`${op.name} needs ${missing.map((v) => `${v.name} (${v.type})`).join(", ")}, for example '${JSON.stringify(sample)}'`);
  return variables as Record<string, unknown>;
}

/** What to do about an answer that is not data, in one line. */
function hintFor(status: number, code: unknown): string | undefined {
  if (status === 401) return "the gateway refused the token: mint it with the gateway's secret (same AUTH_JWT_SECRET or DATA_DIR), or pass --token";
  if (code === "INTEGRATION_NOT_CONNECTED") return "this workspace has no GitHub key yet: connect one (README, A worked example), or use --tenant acme against npm run demo";
  if (code === "FORBIDDEN") return "this role may not do that: try --role admin";
  return undefined;
}

/** `npm run op -- OpenBugIssues '{"query": "is:open label:bug"}'`: a named operation sent with a caller token. */
void runCli(async () => {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { tenant: { type: "string" }, role: { type: "string" }, sub: { type: "string" }, token: { type: "string" }, url: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const dir = schemaDir();
  const operations = readNamedOperations(join(dir, "operations"));
  const [name, given, extra] = positionals;
  if (values.help || !name) return void process.stdout.write(listing(operations));
  if (extra !== undefined) throw new Error(`one JSON object of variables after the operation's name, quoted as one argument\n${USAGE}`);
  const op = operations.find((o) => o.name.toLowerCase() === name.toLowerCase());
  if (!op) throw new Error(`no operation ${name}; the named operations are ${operations.map((o) => o.name).join(", ")}`);
  const variables = variablesFor(op, given, sampleVariables(op, readSchema(join(dir, "schema.graphql"))));

  const role = (values.role ?? "service") as Role;
  if (!roles.includes(role)) throw new Error(`--role must be one of ${roles.join(", ")}`);
  const token = values.token ?? process.env.TOKEN ?? (await signCallerToken({ tenant: values.tenant ?? "acme", role, sub: values.sub ?? "op-cli" }, loadConfig().authJwtSecret, 600));
  const url = (values.url ?? process.env.GATEWAY ?? `http://127.0.0.1:${process.env.PORT ?? 4000}`).replace(/\/+$/, "").replace(/\/graphql$/, "");

  let res: Response;
  try {
    res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: op.text, operationName: op.name, variables }),
    });
  } catch (e) {
    throw new Error(`nothing answers at ${url} (${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}): start it with npm start or npm run demo, or pass --url`);
  }
  const body = (await res.json().catch(() => undefined)) as { errors?: { extensions?: { code?: unknown } }[] } | undefined;
  process.stdout.write(`${JSON.stringify(body ?? { status: res.status }, null, 2)}\n`);
  if (res.ok && !body?.errors?.length) return;
  const hint = hintFor(res.status, body?.errors?.[0]?.extensions?.code);
  if (hint) process.stderr.write(`${hint}\n`);
  process.exitCode = 1;
});
