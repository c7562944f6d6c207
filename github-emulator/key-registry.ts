import type { EmulatorStore, UserRecord } from "./store";
import type { EmulatorKey, KeyType, PermissionLevel, PermissionName } from "./types";

export interface RegisteredKey {
  token: string;
  type: KeyType;
  scopes: string[];
  expiresAt: Date | null;
  user: UserRecord;
  /** Lower-cased "owner/name" the key is limited to; null for all the user's repositories. */
  repositories: ReadonlySet<string> | null;
  /** Fine-grained keys with explicit permissions; null for everything at write (and for classic keys). */
  permissions: Readonly<Partial<Record<PermissionName, PermissionLevel>>> | null;
  /** Fine-grained keys: the lower-cased login of the account whose private repositories the key can reach. */
  resourceOwner: string | null;
  /** Fine-grained keys: awaiting the resource owner organization's approval. */
  pendingApproval: boolean;
  /** Classic keys: lower-cased logins of SAML SSO organizations the key is authorised for. */
  ssoAuthorized: ReadonlySet<string>;
}

export type Authentication =
  | { kind: "none" }
  | { kind: "invalid"; token: string | null }
  | { kind: "ok"; key: RegisteredKey };

const MAX_KEY_LENGTH = 255;

export function keyTypeOf(key: EmulatorKey): KeyType {
  return key.type ?? (key.token.startsWith("github_pat_") ? "fine_grained" : "classic");
}

/** A fine-grained key's resource owner: as given, else the one owner of its listed repositories, else its user. */
function resourceOwnerOf(key: EmulatorKey): string {
  if (key.resourceOwner) return key.resourceOwner.toLowerCase();
  const owners = new Set((key.repositories ?? []).map((r) => r.split("/")[0].toLowerCase()));
  return owners.size === 1 ? [...owners][0] : key.login.toLowerCase();
}

/** `Authorization: bearer KEY` or `token KEY` (either case); anything else counts as a bad key. */
export function tokenFromHeader(header: string | undefined): { present: boolean; token: string | null } {
  if (header === undefined || header.trim() === "") return { present: false, token: null };
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header.trim());
  return { present: true, token: match ? match[1] : null };
}

/** Keys the emulator accepts. Each belongs to a store user (created on first sight of the login). */
export class KeyRegistry {
  private readonly keys = new Map<string, RegisteredKey>();

  constructor(
    private readonly store: EmulatorStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  add(key: EmulatorKey): RegisteredKey {
    if (key.token.length === 0 || key.token.length > MAX_KEY_LENGTH) {
      throw new Error(`GitHub emulator: a key must have 1 to ${MAX_KEY_LENGTH} characters`);
    }
    const user = this.store.addUser({ login: key.login, name: key.name, databaseId: key.databaseId });
    const type = keyTypeOf(key);
    const registered: RegisteredKey = {
      token: key.token,
      type,
      scopes: type === "classic" ? [...(key.scopes ?? [])] : [],
      expiresAt: key.expiresAt ?? null,
      user,
      repositories: key.repositories ? new Set(key.repositories.map((r) => r.toLowerCase())) : null,
      permissions: type === "fine_grained" && key.permissions ? { ...key.permissions } : null,
      resourceOwner: type === "fine_grained" ? resourceOwnerOf(key) : null,
      pendingApproval: type === "fine_grained" && key.pendingApproval === true,
      ssoAuthorized: new Set(type === "classic" ? (key.ssoAuthorized ?? []).map((o) => o.toLowerCase()) : []),
    };
    this.keys.set(key.token, registered);
    return registered;
  }

  remove(token: string): void {
    this.keys.delete(token);
  }

  get(token: string): RegisteredKey | undefined {
    return this.keys.get(token);
  }

  /** An unknown, removed or expired key is "invalid": GitHub answers all three with Bad credentials. */
  authenticate(header: string | undefined): Authentication {
    const { present, token } = tokenFromHeader(header);
    if (!present) return { kind: "none" };
    const key = token === null ? undefined : this.keys.get(token);
    if (!key || (key.expiresAt && key.expiresAt.getTime() <= this.now().getTime())) return { kind: "invalid", token };
    return { kind: "ok", key };
  }
}
