// The UI is embedded in the binary and loaded from tauri://, so paths are relative and nothing is
// fetched from a dev server or the network.
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import license from "rollup-plugin-license";

// The licences of the npm packages bundled into the window (only what the bundle holds, not the
// build tools), with their full texts, for the third-party notices (.ci/notices.sh). The path
// is relative to ui/, where every build runs.
const uiNotices = license({
  thirdParty: {
    includePrivate: false,
    allow: { test: "(MIT OR Apache-2.0 OR ISC OR BSD-2-Clause OR BSD-3-Clause OR 0BSD)", failOnUnlicensed: true, failOnViolation: true },
    output: {
      file: "../target/notices/ui-packages.txt",
      template: (dependencies) =>
        [
          "NPM PACKAGES IN THE WINDOW",
          "==========================",
          "",
          "The window's code bundles these npm packages. Each is followed by its licence text.",
          "",
          ...dependencies
            .slice()
            .sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""))
            .map((d) =>
              [
                "-".repeat(94),
                `${d.name} ${d.version} (${d.license ?? "no licence named"})${d.homepage ? ` ${d.homepage}` : ""}`,
                "",
                (d.licenseText ?? `Licensed under ${d.license}.`).trim(),
                ...(d.noticeText ? ["", d.noticeText.trim()] : []),
                "",
              ].join("\n"),
            ),
        ].join("\n"),
    },
  },
});

export default defineConfig({
  base: "./",
  plugins: [svelte(), uiNotices],
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
