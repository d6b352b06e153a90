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
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    restoreMocks: true,
  },
});
