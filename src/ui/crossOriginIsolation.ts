/**
 * Makes the page cross-origin isolated on hosts that cannot send the COOP
 * and COEP headers, by installing a service worker that adds them and
 * reloading once. Where even that fails, the page runs without
 * SharedArrayBuffer and says so (see SharedMemoryNotice).
 */
const RELOAD_MARK = "openresty-playground:coi-reloaded";

/** Registers the header-adding service worker if the page needs it. */
export async function ensureCrossOriginIsolation(): Promise<void> {
  if (window.crossOriginIsolated || !("serviceWorker" in navigator)) return;
  if (!window.isSecureContext) return;
  try {
    const url = `${import.meta.env.BASE_URL}coi-serviceworker.js`;
    const registration = await navigator.serviceWorker.register(url);
    // Reload once when the worker takes control; the mark stops a loop on
    // hosts where isolation still fails.
    if (sessionStorage.getItem(RELOAD_MARK)) return;
    const reload = () => {
      sessionStorage.setItem(RELOAD_MARK, "1");
      window.location.reload();
    };
    if (navigator.serviceWorker.controller) reload();
    else registration.addEventListener("updatefound", () => {
      navigator.serviceWorker.addEventListener("controllerchange", reload, { once: true });
    });
  } catch {
    // Without the worker the page still runs, in one thread.
  }
}

/** True when SharedArrayBuffer exists on this page. */
export function hasSharedMemory(): boolean {
  return typeof SharedArrayBuffer !== "undefined" && window.crossOriginIsolated !== false;
}
