/**
 * Where the page keeps the user's workspaces in localStorage: one key per
 * example, so a tab writes only the examples it changed and two tabs that
 * edit different examples keep both edits. The single key of older
 * versions is migrated once and then removed.
 */
import type { Workspace } from "./workspace";

/** The subset of localStorage the store uses (tests pass a Map-backed one). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The single key that held every workspace before version 2. */
export const LEGACY_STORAGE_KEY = "openresty-playground:workspaces";

/** Prefix of the per-example keys; the example id follows it. */
export const WORKSPACE_KEY_PREFIX = "openresty-playground:workspace:";

/** The example this browser opened last. */
export const OPEN_EXAMPLE_KEY = "openresty-playground:open-example";

/** The workspace the last Reset threw away, kept until the next edit. */
export const UNDO_RESET_KEY = "openresty-playground:undo-reset";

/** Bump when Workspace changes shape; older values are then ignored. */
const FORMAT_VERSION = 2;

/** A workspace that Reset replaced, and which example it belongs to. */
export interface ResetWorkspace {
  exampleId: string;
  workspace: Workspace;
  /** The action that replaced it: Reset, or opening a .t block (absent: Reset). */
  reason?: "reset" | "open-block";
}

/** Returns the storage key of an example's workspace. */
export function workspaceKey(exampleId: string): string {
  return WORKSPACE_KEY_PREFIX + exampleId;
}

/** Returns the example id of a workspace key, or null for other keys. */
export function exampleIdOfKey(key: string | null): string | null {
  if (!key?.startsWith(WORKSPACE_KEY_PREFIX)) return null;
  return key.slice(WORKSPACE_KEY_PREFIX.length);
}

function isWorkspace(value: unknown): value is Workspace {
  if (typeof value !== "object" || value === null) return false;
  const fields = value as Record<string, unknown>;
  return (
    typeof fields.nginxConf === "string" &&
    typeof fields.method === "string" &&
    typeof fields.uri === "string"
  );
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Parses a stored workspace value; null when absent, malformed or old. */
export function parseWorkspace(text: string | null): Workspace | null {
  const stored = parseJson(text) as { version?: unknown; workspace?: unknown } | null;
  if (stored?.version !== FORMAT_VERSION) return null;
  return isWorkspace(stored.workspace) ? stored.workspace : null;
}

/** Reads one example's edited workspace, or null if it is untouched. */
export function readWorkspace(storage: KeyValueStorage, exampleId: string): Workspace | null {
  return parseWorkspace(storage.getItem(workspaceKey(exampleId)));
}

/** Writes one example's workspace and nothing else. */
export function writeWorkspace(
  storage: KeyValueStorage,
  exampleId: string,
  workspace: Workspace,
): void {
  const value = JSON.stringify({ version: FORMAT_VERSION, workspace });
  storage.setItem(workspaceKey(exampleId), value);
}

/**
 * Copies the workspaces of the old single-key format into per-example keys
 * (a per-example key already written wins) and removes the old key.
 */
export function migrateLegacyWorkspaces(storage: KeyValueStorage): void {
  const text = storage.getItem(LEGACY_STORAGE_KEY);
  if (text === null) return;
  const legacy = parseJson(text) as {
    state?: { exampleId?: unknown; workspaces?: Record<string, unknown> };
  } | null;
  const workspaces = legacy?.state?.workspaces ?? {};
  for (const [exampleId, workspace] of Object.entries(workspaces)) {
    const hasNewer = storage.getItem(workspaceKey(exampleId)) !== null;
    if (!hasNewer && isWorkspace(workspace)) {
      writeWorkspace(storage, exampleId, workspace);
    }
  }
  const openId = legacy?.state?.exampleId;
  if (typeof openId === "string" && storage.getItem(OPEN_EXAMPLE_KEY) === null) {
    storage.setItem(OPEN_EXAMPLE_KEY, openId);
  }
  storage.removeItem(LEGACY_STORAGE_KEY);
}

/** Reads the edited workspaces of the given examples. */
export function readWorkspaces(
  storage: KeyValueStorage,
  exampleIds: readonly string[],
): Record<string, Workspace> {
  const workspaces: Record<string, Workspace> = {};
  for (const exampleId of exampleIds) {
    const workspace = readWorkspace(storage, exampleId);
    if (workspace) workspaces[exampleId] = workspace;
  }
  return workspaces;
}

/** Reads the workspace that Undo reset would restore, if any. */
export function readResetWorkspace(storage: KeyValueStorage): ResetWorkspace | null {
  const stored = parseJson(storage.getItem(UNDO_RESET_KEY)) as {
    version?: unknown;
    exampleId?: unknown;
    workspace?: unknown;
    reason?: unknown;
  } | null;
  if (stored?.version !== FORMAT_VERSION || typeof stored.exampleId !== "string") {
    return null;
  }
  if (!isWorkspace(stored.workspace)) return null;
  const reset: ResetWorkspace = { exampleId: stored.exampleId, workspace: stored.workspace };
  if (stored.reason === "open-block") reset.reason = "open-block";
  return reset;
}

/** Stores (or, with null, removes) the workspace Undo reset restores. */
export function writeResetWorkspace(
  storage: KeyValueStorage,
  reset: ResetWorkspace | null,
): void {
  if (!reset) {
    storage.removeItem(UNDO_RESET_KEY);
    return;
  }
  storage.setItem(UNDO_RESET_KEY, JSON.stringify({ version: FORMAT_VERSION, ...reset }));
}
