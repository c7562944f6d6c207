import type { DataSource, EntityManager } from "typeorm";
import { conflict, isGatewayError } from "../errors";

/** Postgres error codes that mean "another request got there first": the loser gets CONFLICT. */
const CONFLICT_CODES = new Set(["40001", "40P01", "55P03"]);

export const pgCodeOf = (e: unknown): string | undefined => {
  const err = e as { code?: unknown; driverError?: { code?: unknown } };
  const code = err.driverError?.code ?? err.code;
  return typeof code === "string" ? code : undefined;
};

/**
 * Runs `work` in one transaction. Waiting for a row lock is bounded, so a request that loses a race
 * gets CONFLICT instead of hanging.
 */
export async function inTransaction<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>, lockTimeoutMs = 5000): Promise<T> {
  try {
    return await ds.transaction(async (em) => {
      await em.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
      return work(em);
    });
  } catch (e) {
    if (!isGatewayError(e) && CONFLICT_CODES.has(pgCodeOf(e) ?? "")) throw conflict();
    throw e;
  }
}
