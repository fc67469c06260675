import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * Cross-origin isolation: SharedArrayBuffer (one per lua_shared_dict)
 * exists only on a page served with both of these headers.
 */
const crossOriginIsolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  plugins: [react()],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: "es" },
  // The engine's workers import fengari, which the dev server would find
  // only on the first run and then reload the page (losing that Send).
  optimizeDeps: { include: ["fengari"] },
  build: {
    target: "es2022",
    // Monaco's editor core alone is about 3 MB minified.
    chunkSizeWarningLimit: 4000,
  },
});
