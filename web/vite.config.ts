import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web UI: `vite build --config web/vite.config.ts` writes dist/web, which the API serves with SPA fallback.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      // EARSHOT_DEV_API points the dev server at an API elsewhere (default: `npm start` on this machine).
      '/api': { target: process.env.EARSHOT_DEV_API ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
