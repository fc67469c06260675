/**
 * Permalinks: the whole workspace (config, files, request, steps, worker
 * policy, seed) in the URL fragment, never sent to a server. The JSON is
 * deflated and base64url-encoded behind a format version. Decoding is
 * bounded in input and output size, so a hostile or truncated link gives
 * a clear error instead of a hang.
 */
import type { Workspace } from "../store/workspace";

/** The fragment key: `#w=<payload>`. */
export const PERMALINK_KEY = "w";
/** The current format version; older ones must keep decoding. */
export const PERMALINK_VERSION = 1;
/** Maximum payload length accepted, in characters (about 200 KB of link). */
export const MAX_LINK_CHARS = 200_000;
/** Maximum decompressed workspace size accepted, in bytes. */
export const MAX_WORKSPACE_BYTES = 2_000_000;

interface PermalinkPayload {
  v: number;
  /** The example whose explanation goes with the workspace, if any. */
  exampleId?: string;
  workspace: Workspace;
}

/** The example and workspace a permalink carries. */
export interface SharedWorkspace {
  exampleId: string | null;
  workspace: Workspace;
}

/** A link that could not be opened, with a message for the user. */
export class PermalinkError extends Error {
  readonly code = "PERMALINK_INVALID";
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new PermalinkError("The link is damaged: it contains characters a permalink never has.");
  }
  const padded = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(padded + "=".repeat((4 - (padded.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipeThrough(bytes: Uint8Array, transform: TransformStream, limit: number) {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new PermalinkError(
        `The link's workspace is larger than ${limit} bytes; it was not opened.`,
      );
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Encodes a workspace as the fragment value (without `#w=`). */
export async function encodePermalink(
  workspace: Workspace,
  exampleId?: string,
): Promise<string> {
  const payload: PermalinkPayload = { v: PERMALINK_VERSION, exampleId, workspace };
  const json = new TextEncoder().encode(JSON.stringify(payload));
  const deflated = await pipeThrough(json, new CompressionStream("deflate-raw"), Infinity);
  return toBase64Url(deflated);
}

function checkWorkspace(value: unknown): Workspace {
  const w = value as Partial<Workspace> | null;
  const isText = (x: unknown) => typeof x === "string";
  if (
    !w ||
    !isText(w.nginxConf) ||
    !isText(w.method) ||
    !isText(w.uri) ||
    !isText(w.headersText) ||
    !isText(w.body) ||
    typeof w.copies !== "number"
  ) {
    throw new PermalinkError("The link's workspace is incomplete; it was not opened.");
  }
  return w as Workspace;
}

/**
 * Decodes a location hash (`#w=...`); returns null when the hash has no
 * permalink. Throws PermalinkError with a message for the user.
 */
export async function decodePermalink(hash: string): Promise<SharedWorkspace | null> {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const text = params.get(PERMALINK_KEY);
  if (text === null) return null;
  if (text.length > MAX_LINK_CHARS) {
    throw new PermalinkError(`The link is longer than ${MAX_LINK_CHARS} characters; it was not opened.`);
  }
  let json: string;
  try {
    const bytes = fromBase64Url(text);
    const inflated = await pipeThrough(bytes, new DecompressionStream("deflate-raw"), MAX_WORKSPACE_BYTES);
    json = new TextDecoder("utf-8", { fatal: true }).decode(inflated);
  } catch (error) {
    if (error instanceof PermalinkError) throw error;
    throw new PermalinkError("The link is damaged or cut short, so its workspace could not be read.");
  }
  let payload: PermalinkPayload;
  try {
    payload = JSON.parse(json) as PermalinkPayload;
  } catch {
    throw new PermalinkError("The link is damaged: its workspace is not valid JSON.");
  }
  if (typeof payload?.v !== "number" || payload.v > PERMALINK_VERSION) {
    throw new PermalinkError(
      `The link was made by a newer version of the playground (format ${String(payload?.v)}); update the page.`,
    );
  }
  const exampleId = typeof payload.exampleId === "string" ? payload.exampleId : null;
  return { exampleId, workspace: checkWorkspace(payload.workspace) };
}
