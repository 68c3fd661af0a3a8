import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Django serves the bundle from /static/dist/ and finds the hashed file names through
// .vite/manifest.json, so the entry is a module rather than an index.html.
export default defineConfig({
  plugins: [react()],
  base: "/static/dist/",
  build: {
    outDir: "../static/dist",
    emptyOutDir: true,
    manifest: true,
    sourcemap: true,
    rollupOptions: {
      input: "src/main.tsx",
    },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
