import { hasSharedMemory } from "./crossOriginIsolation";

/** Says plainly when the page runs without SharedArrayBuffer. */
export function SharedMemoryNotice() {
  if (hasSharedMemory()) return null;
  return (
    <div className="banner banner-warn" data-testid="no-shared-memory">
      This page is not cross-origin isolated, so SharedArrayBuffer does not
      exist here: shared dicts live in ordinary memory and every simulated
      process runs in one thread. Results are the same; serve the page with
      the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy
      headers to lift this.
    </div>
  );
}
