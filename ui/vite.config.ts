/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

/**
 * Adds `<link rel="preload">` for the Latin faces the first screen uses (see src/app/fonts.ts), so
 * the window fetches them while it parses the page, alongside the scripts, rather than only once
 * the scripts have run and asked for them.
 */
function preloadFirstScreenFonts(): Plugin {
  const firstScreenFaces = [/^inter-latin-wght-normal\.woff2$/, /^jetbrains-mono-latin-wght-normal\.woff2$/];
  return {
    name: "preload-first-screen-fonts",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, context) {
        const files = Object.values(context.bundle ?? {})
          .filter((output) => output.type === "asset")
          .filter((asset) => asset.names.some((name) => firstScreenFaces.some((face) => face.test(name))))
          .map((asset) => asset.fileName);
        if (files.length !== firstScreenFaces.length) {
          throw new Error(`expected ${String(firstScreenFaces.length)} first-screen font files in the build, found: ${files.join(", ") || "none"}`);
        }
        return files.map((file) => ({
          tag: "link",
          attrs: { rel: "preload", href: `/${file}`, as: "font", type: "font/woff2", crossorigin: "" },
          injectTo: "head-prepend" as const,
        }));
      },
    },
  };
}

/** The app's own modules (not its dependencies'), for the shared chunk below. */
const APP_SOURCE = fileURLToPath(new URL("./src/", import.meta.url));

// Tauri loads the built files from ui/dist (see src-tauri/tauri.conf.json). In development it
// loads this dev server instead, on a fixed port so the window knows where to look.
export default defineConfig({
  plugins: [react(), preloadFirstScreenFonts()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: "localhost",
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.40+ on Linux, WebView2 on Windows, WKWebView on macOS 11+.
    target: ["es2022", "safari15"],
    // One file per kind keeps the CSP simple: no inline scripts or styles.
    assetsInlineLimit: 0,
    sourcemap: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Our modules that the entry and the lazy chunks (the canvas, the other pages) both
          // import go into one shared chunk, not one small chunk each: the window fetched eight
          // of them before its script could run, each a trip through WebKit and the window's
          // main thread. Over 12 paired cold starts the dashboard showed 13 ms sooner (medians).
          groups: [{ name: "shared", test: (id) => id.startsWith(APP_SOURCE), minShareCount: 2 }],
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    restoreMocks: true,
  },
});
