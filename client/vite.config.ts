import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the API, the y-websocket endpoint and socket.io live on the Node server (:3000).
const target = process.env.MAILLAGE_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1200 },
  server: {
    proxy: {
      '/api': target,
      '/yjs': { target, ws: true },
      '/socket.io': { target, ws: true },
    },
  },
});
