/**
 * Why the gateway could not start, as one line a newcomer can act on: the setting, its value (never a
 * secret) and what to do. main.ts, the demo and the CLIs print `message` alone, without a stack: every
 * failure a setting can cause is turned into one of these where it happens (configuration, database,
 * listening), and anything else stays an ordinary error.
 */
export class StartupFailure extends Error {
  constructor(
    readonly setting: string,
    /** What the setting was, as shown (secrets hidden, passwords in URLs masked). */
    readonly shown: string,
    problem: string,
    advice: string,
  ) {
    super(startupLine(setting, shown, problem, advice));
    this.name = "StartupFailure";
  }
}

/** `PORT="abc": not a number; correct it, ...`: the one shape of every start-up line, a configuration problem's too. */
export function startupLine(setting: string, shown: string, problem: string, advice: string): string {
  return `${setting}=${shown}: ${problem}; ${advice}`;
}

/** Settings whose values are never printed, not even in part. */
const SECRET_SETTINGS = new Set(["AUTH_JWT_SECRET", "CREDENTIAL_KEYS"]);

/** A setting's value as a start-up message may show it: secrets hidden, a URL's password masked. */
export function shownValue(setting: string, value: string | undefined): string {
  if (value === undefined) return "(unset)";
  if (SECRET_SETTINGS.has(setting)) return "(hidden)";
  let shown = value;
  try {
    const url = new URL(value);
    if (url.password) {
      url.password = "***";
      shown = url.toString();
    }
  } catch {
    // Not a URL: nothing in it to mask.
  }
  return JSON.stringify(shown.length > 200 ? `${shown.slice(0, 200)}…` : shown);
}

interface SystemError {
  code?: string;
  message?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

const systemError = (e: unknown): SystemError => (e && typeof e === "object" ? (e as SystemError) : { message: String(e) });

/**
 * The database named by DATABASE_URL could not be opened (pg's and PostgreSQL's own codes). Embedded
 * PGlite's failures name DATA_DIR instead.
 */
export function databaseFailure(e: unknown, config: { databaseUrl?: string; dataDir: string }): Error {
  if (e instanceof StartupFailure) return e;
  const err = systemError(e);
  if (!config.databaseUrl) {
    if (["EACCES", "EROFS", "EPERM", "ENOTDIR", "EEXIST"].includes(err.code ?? "")) {
      return new StartupFailure("DATA_DIR", shownValue("DATA_DIR", config.dataDir), "the embedded database's folder cannot be written", "choose a folder this user can write, or set DATABASE_URL to use PostgreSQL");
    }
    return new StartupFailure("DATA_DIR", shownValue("DATA_DIR", config.dataDir), `the embedded database could not be opened (${err.message ?? err.code})`, "if it was written by another version, move the folder aside or point DATA_DIR elsewhere; or set DATABASE_URL to use PostgreSQL");
  }
  const url = shownValue("DATABASE_URL", config.databaseUrl);
  const unset = "or unset DATABASE_URL to use the embedded database under DATA_DIR";
  const fail = (problem: string, advice: string) => new StartupFailure("DATABASE_URL", url, problem, advice);
  switch (err.code) {
    case "ECONNREFUSED":
      return fail(`nothing is listening at ${err.address ?? "that host"}:${err.port ?? "that port"}`, `start PostgreSQL there, correct the host and port, ${unset}`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return fail(`the host ${err.hostname ?? ""} cannot be found`.replace(/ +$/, ""), `correct the host name, ${unset}`);
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return fail("the server cannot be reached", `check the host, port and network, ${unset}`);
    case "28P01":
    case "28000":
      return fail("PostgreSQL refused the user name or password", "correct them in the URL (user:password@host)");
    case "3D000":
      return fail("that database does not exist on the server", "create it (createdb NAME) or name an existing one in the URL's path");
    default:
      if (/timeout/i.test(err.message ?? "")) return fail("the server did not answer in time", `check that it is up and reachable, ${unset}`);
      return fail(`PostgreSQL could not be used (${err.message ?? err.code ?? "unknown error"})`, "check the URL and the server's log");
  }
}

/** The HTTP server could not listen where PORT and HOST say. */
export function listenFailure(e: unknown, config: { port: number; host: string }): Error {
  const err = systemError(e);
  const where = `${config.host}:${config.port}`;
  switch (err.code) {
    case "EADDRINUSE":
      return new StartupFailure("PORT", String(config.port), `${where} is already in use (another gateway, a demo, or another program listens there)`, "stop it, or set PORT to a free port (PORT=0 picks one)");
    case "EACCES":
      return new StartupFailure("PORT", String(config.port), `this user may not listen on ${where}`, "choose a port above 1023");
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new StartupFailure("HOST", JSON.stringify(config.host), "not an address of this machine", "set HOST to one of its addresses (127.0.0.1 for this machine only, 0.0.0.0 for every interface)");
    default:
      return e instanceof Error ? e : new Error(String(e));
  }
}
