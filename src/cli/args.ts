/** `--name value` pairs; a flag without a value is an error so typos fail loudly. */
export function parseArgs(argv: string[], allowed: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (!name.startsWith("--") || !allowed.includes(name.slice(2))) {
      throw new Error(`unknown option '${name}' (allowed: ${allowed.map((a) => `--${a}`).join(" ")})`);
    }
    if (value === undefined || value.startsWith("--")) throw new Error(`option '${name}' needs a value`);
    out[name.slice(2)] = value;
  }
  return out;
}

export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
