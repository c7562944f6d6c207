import { join, relative, resolve } from "node:path";

// The command line shared by `npm run bench`, `soak` and `attack`: --help, a closed set of flags (an
// unknown one is an error, not a silent default run), one-line errors for bad flags and settings, and
// where a run's results go. Settings themselves are environment variables, read by each run's config.

/** A bad flag or setting: printed as one line (no stack), exit code 2, before anything starts. */
export class UsageError extends Error {}

export interface FlagSpec {
  name: string;
  /** The value's placeholder when the flag takes one (`--out DIR`). */
  value?: string;
  meaning: string;
}

export interface SettingHelp {
  name: string;
  default: string;
  meaning: string;
}

export interface CliSpec {
  /** `bench`, `soak`, `attack`: the prefix of its log lines and errors. */
  name: string;
  /** `npm run bench` */
  command: string;
  /** `node dist/bench/run.js` */
  script: string;
  about: string[];
  flags: FlagSpec[];
  settingGroups: Array<{ title: string; settings: SettingHelp[] }>;
  results: string[];
}

const HELP: FlagSpec = { name: "--help", meaning: "print this text and exit; starts nothing (also -h)" };

export const OUT_FLAG: FlagSpec = { name: "--out", value: "DIR", meaning: "write the results into DIR instead (any run; created if missing)" };

const WIDTH = 110;

/** `head` then `text` wrapped at WIDTH, continuation lines indented under the text's first column. */
function hanging(head: string, text: string): string[] {
  const lines: string[] = [];
  let line = head;
  for (const word of text.split(" ")) {
    if (line.length > head.length && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = " ".repeat(head.length) + word;
    } else line = line.length > head.length ? `${line} ${word}` : `${line}${word}`;
  }
  return [...lines, line];
}

function helpText(spec: CliSpec): string {
  const flagName = (f: FlagSpec) => (f.value ? `${f.name} ${f.value}` : f.name);
  const flags = [HELP, ...spec.flags];
  const flagWidth = Math.max(...flags.map((f) => flagName(f).length));
  const usage = `${spec.command} [-- FLAGS]   (or: ${spec.script} [FLAGS])`;
  const lines = [`Usage: ${usage}`, "", ...spec.about, "", "Flags:", ...flags.flatMap((f) => hanging(`  ${flagName(f).padEnd(flagWidth)}  `, f.meaning))];
  for (const group of spec.settingGroups) {
    const width = Math.max(...group.settings.map((s) => s.name.length));
    lines.push("", ...hanging("", `${group.title}:`));
    for (const s of group.settings) lines.push(...hanging(`  ${s.name.padEnd(width)}  `, `${s.meaning} [default: ${s.default}]`));
  }
  lines.push("", "Results:", ...spec.results.map((r) => `  ${r}`), "");
  return lines.join("\n");
}

/**
 * Reads argv (after `node script`). Prints the help and exits 0 on --help / -h; prints one line and
 * exits 2 on an unknown flag, a stray argument or a missing value. Returns the flags given.
 */
export function parseCli(spec: CliSpec, argv: readonly string[] = process.argv.slice(2)): Map<string, string | true> {
  const given = new Map<string, string | true>();
  const fail = (message: string): never => {
    process.stderr.write(`${spec.name}: ${message}; see \`${spec.command} -- --help\`\n`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(helpText(spec));
      process.exit(0);
    }
    const [name, inline] = arg.startsWith("--") ? (arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined]) : [arg, undefined];
    const flag = spec.flags.find((f) => f.name === name);
    if (!flag) fail(arg.startsWith("-") ? `unknown flag ${name}` : `unexpected argument "${arg}" (settings are environment variables)`);
    else if (!flag.value) {
      if (inline !== undefined) fail(`${name} takes no value`);
      given.set(name, true);
    } else {
      const value = inline ?? argv[++i];
      if (value === undefined || value === "" || (inline === undefined && value.startsWith("-"))) fail(`${name} needs a value (${flag.value})`);
      else given.set(name, value);
    }
  }
  return given;
}

/** What the command line was, for the results: the settings that were set, then the command and flags. */
export function commandLine(base: string, settingNames: readonly string[], argv: readonly string[] = process.argv.slice(2), env = process.env): string {
  const set = settingNames.filter((n) => env[n] !== undefined && env[n] !== "").map((n) => `${n}=${env[n]}`);
  return [...set, base, ...(argv.length ? ["--", ...argv] : [])].join(" ");
}

export const REPO_ROOT = join(__dirname, "../..");
export const COMMITTED_RESULTS = join(REPO_ROOT, "bench/results");
/** Ignored by git (.gitignore): where a trial's results go, so they never replace the committed figures. */
export const TRIAL_RESULTS = join(COMMITTED_RESULTS, "trial");

/** --out wins; otherwise a full default run writes the committed results and any other run a trial's. */
export function resultsDir(out: string | true | undefined, trial: boolean): string {
  if (typeof out === "string") return resolve(out);
  return trial ? TRIAL_RESULTS : COMMITTED_RESULTS;
}

/** A results path as a reader would type it: relative to the repository when inside it. */
export function shown(path: string): string {
  const rel = relative(REPO_ROOT, path);
  return rel.startsWith("..") ? path : rel;
}

/** The last words of a run that failed: one line for a UsageError (exit 2), the stack otherwise (exit 1). */
export function exitWith(name: string, e: unknown): never {
  if (e instanceof UsageError) {
    process.stderr.write(`${name}: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
}
