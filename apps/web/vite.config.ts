import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In production the API serves `dist/` itself. In development (`vite`), `/api` (REST and the
// collaboration WebSocket) is proxied to the API on :3000; the Host header is kept as the
// browser sent it, so the API's same-origin checks see one origin.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', ws: true },
    },
  },
});
