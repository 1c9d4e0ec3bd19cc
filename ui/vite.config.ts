// The UI is embedded in the binary and loaded from tauri://, so paths are relative and nothing is
// fetched from a dev server or the network.
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  base: "./",
  plugins: [svelte()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    sourcemap: false,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
    // The contrast test reads app.css as text (`?raw`); other stylesheets stay out of tests.
    css: { include: [/app\.css/] },
  },
});
