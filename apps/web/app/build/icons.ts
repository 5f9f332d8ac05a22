/**
 * The app's icons, drawn at build time into PNGs (no binary files in the
 * repository): a rounded tile with a "feed" glyph (a dot and three lines).
 * The maskable variant fills the square and keeps the glyph inside the
 * central safe zone (80 % circle) that platforms may crop to.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { Plugin } from 'vite';

export const THEME_COLOR = '#3346d3';
const BACKGROUND: Rgb = [0x33, 0x46, 0xd3];
const FOREGROUND: Rgb = [0xff, 0xff, 0xff];
type Rgb = [number, number, number];

/** Coverage of the glyph at (x, y) in a unit square whose glyph spans [0,1]. */
function glyph(x: number, y: number): boolean {
  const dot = (x - 0.17) ** 2 + (y - 0.2) ** 2 <= 0.13 ** 2;
  const bar = (top: number, right: number) => y >= top && y <= top + 0.14 && x >= 0.04 && x <= right;
  const first = y >= 0.13 && y <= 0.27 && x >= 0.4 && x <= 0.96;
  return dot || first || bar(0.43, 0.96) || bar(0.73, 0.72);
}

interface IconSpec {
  size: number;
  /** Fraction of the side the glyph takes. */
  glyphScale: number;
  /** Corner radius as a fraction of the side (0: full bleed, for maskable). */
  corner: number;
  /** Monochrome: white glyph on transparent (a notification badge). */
  badge?: boolean;
}

function inRoundedSquare(x: number, y: number, r: number): boolean {
  if (r === 0) return true;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

export function drawIcon(spec: IconSpec): Buffer {
  const { size } = spec;
  const samples = 4;
  const rgba = Buffer.alloc(size * size * 4);
  const offset = (1 - spec.glyphScale) / 2;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let tile = 0;
      let mark = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (!inRoundedSquare(x, y, spec.corner)) continue;
          tile += 1;
          if (glyph((x - offset) / spec.glyphScale, (y - offset) / spec.glyphScale)) mark += 1;
        }
      }
      const all = samples * samples;
      const i = (py * size + px) * 4;
      if (spec.badge) {
        rgba.set([255, 255, 255, Math.round((mark / all) * 255)], i);
        continue;
      }
      const m = tile === 0 ? 0 : mark / tile;
      for (let c = 0; c < 3; c += 1) rgba[i + c] = Math.round(BACKGROUND[c] * (1 - m) + FOREGROUND[c] * m);
      rgba[i + 3] = Math.round((tile / all) * 255);
    }
  }
  return encodePng(size, size, rgba);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG, no filtering (the icons are small). */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1)
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const ICONS: Record<string, IconSpec> = {
  'icons/icon-192.png': { size: 192, glyphScale: 0.56, corner: 0.22 },
  'icons/icon-512.png': { size: 512, glyphScale: 0.56, corner: 0.22 },
  'icons/icon-maskable-512.png': { size: 512, glyphScale: 0.42, corner: 0 },
  'icons/apple-touch-icon-180.png': { size: 180, glyphScale: 0.5, corner: 0 },
  'icons/badge-96.png': { size: 96, glyphScale: 0.7, corner: 0, badge: true },
};

/** Emits the icons into the build (and serves them in `vite dev`). */
export function iconsPlugin(): Plugin {
  const cache = new Map<string, Buffer>();
  const png = (name: string) => {
    if (!cache.has(name)) cache.set(name, drawIcon(ICONS[name]));
    return cache.get(name)!;
  };
  return {
    name: 'feedline-icons',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const name = request.url?.slice(1) ?? '';
        if (!(name in ICONS)) return next();
        response.setHeader('Content-Type', 'image/png');
        response.end(png(name));
      });
    },
    generateBundle() {
      for (const fileName of Object.keys(ICONS))
        this.emitFile({ type: 'asset', fileName, source: png(fileName) });
    },
  };
}
