import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The browser bundle: the stylesheet and the script that hydrates the interactive parts of the
 * public pages, which the server renders (src/site), and the dashboard's single-page app. The
 * server links these files through the manifest (src/site/assets.ts).
 */
export default defineConfig({
  root: here,
  plugins: [react(), tailwindcss()],
  build: {
    outDir: path.resolve(here, '../dist/web'),
    emptyOutDir: true,
    manifest: true,
    rollupOptions: {
      input: {
        client: path.resolve(here, 'src/client.tsx'),
        dashboard: path.resolve(here, 'src/dashboard/main.tsx'),
      },
    },
  },
});
