/**
 * Opens the workspace a permalink carries when the page loads (keeping
 * the previous one for Undo) and runs it, so a shared link replays the
 * behaviour it was made to show.
 */
import { useEffect, useState } from "react";
import { playgroundStore } from "../store/appStore";
import { currentWorkspace } from "../store/playgroundStore";
import { decodePermalink, encodePermalink, PermalinkError } from "./permalink";

/** Reads the link once on load; returns the error to show, if any. */
export function usePermalinkOnLoad(): string | null {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let isCurrent = true;
    decodePermalink(window.location.hash)
      .then((shared) => {
        if (!shared || !isCurrent) return;
        if (shared.exampleId) playgroundStore.getState().selectExample(shared.exampleId);
        playgroundStore.getState().openWorkspace(shared.workspace);
        void playgroundStore.getState().send();
      })
      .catch((reason: unknown) => {
        if (!isCurrent) return;
        setError(
          reason instanceof PermalinkError
            ? reason.message
            : "The link could not be opened.",
        );
      });
    return () => {
      isCurrent = false;
    };
  }, []);
  return error;
}

/**
 * Puts the open workspace in the address bar as a permalink and copies it;
 * returns the link.
 */
export async function shareWorkspace(): Promise<string> {
  const state = playgroundStore.getState();
  const payload = await encodePermalink(currentWorkspace(state), state.exampleId);
  const url = new URL(window.location.href);
  url.hash = `w=${payload}`;
  window.history.replaceState(null, "", url);
  try {
    await navigator.clipboard.writeText(url.toString());
  } catch {
    // Clipboard access can be denied; the link is in the address bar.
  }
  return url.toString();
}
