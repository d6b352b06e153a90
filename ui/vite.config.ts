/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Tauri loads the built files from ui/dist (see src-tauri/tauri.conf.json). In development it
// loads this dev server instead, on a fixed port so the window knows where to look.
export default defineConfig({
  plugins: [react()],
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
        // What the window needs to start (React, the shell and the dashboard: the app folder and
        // everything it imports statically) in one chunk, instead of the handful of
        // sub-kilobyte chunks the automatic splitting makes of the modules it shares with the
        // lazily loaded pages: each one more request through the app's asset protocol before
        // the first render.
        codeSplitting: {
          groups: [
            {
              name: "start",
              test: /[\\/]src[\\/]app[\\/]|[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/,
            },
          ],
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
