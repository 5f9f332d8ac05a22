/**
 * The web app: Preact + TypeScript, built to static files in dist/web
 * (`npm run build:web`). The service worker is built from src/sw/sw.ts with
 * the precache manifest injected (vite-plugin-pwa, injectManifest).
 */
import path from 'node:path';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompressPlugin } from './build/compress.ts';
import { iconsPlugin, THEME_COLOR } from './build/icons.ts';

const root = import.meta.dirname;

export default defineConfig({
  root,
  publicDir: path.join(root, 'public'),
  build: {
    outDir: path.resolve(root, '../../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    modulePreload: { polyfill: false },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [
    iconsPlugin(),
    precompressPlugin(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifestFilename: 'manifest.webmanifest',
      manifest: {
        id: '/',
        name: 'Feedline',
        short_name: 'Feedline',
        description: 'Your home feed: posts from the people you follow, pushed or merged live.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: THEME_COLOR,
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // The service worker's own bundle is not part of the app shell.
        globIgnores: ['sw.js', '**/*.map', '**/*.gz', '**/*.br'],
      },
    }),
  ],
});
