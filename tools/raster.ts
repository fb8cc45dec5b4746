// A tiny anti-aliased rasteriser for the tray's state badges: shapes in unit coordinates,
// 4×4 supersampling, layers composited "over" in order.

export type RGBA = readonly [number, number, number, number];
/** A shape in unit coordinates (0..1 on both axes): true where it covers. */
export type Shape = (x: number, y: number) => boolean;
export interface Layer { shape: Shape; color: RGBA }

export const WHITE: RGBA = [255, 255, 255, 255];
export const BLACK: RGBA = [0, 0, 0, 255];

export function rasterise(size: number, layers: readonly Layer[]): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (const { shape, color } of layers) {
        let hits = 0;
        for (let sy = 0; sy < n; sy++) for (let sx = 0; sx < n; sx++) if (shape((x + (sx + 0.5) / n) / size, (y + (sy + 0.5) / n) / size)) hits++;
        const ca = (color[3] / 255) * (hits / (n * n));
        if (ca === 0) continue;
        const na = ca + a * (1 - ca);
        r = (color[0] * ca + r * a * (1 - ca)) / na;
        g = (color[1] * ca + g * a * (1 - ca)) / na;
        b = (color[2] * ca + b * a * (1 - ca)) / na;
        a = na;
      }
      const i = (y * size + x) * 4;
      px[i] = Math.round(r); px[i + 1] = Math.round(g); px[i + 2] = Math.round(b); px[i + 3] = Math.round(a * 255);
    }
  }
  return px;
}

export const disc = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
export const ring = (cx: number, cy: number, r: number, w: number): Shape => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - w;
};
export const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
function segDist(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}
export const stroke = (points: readonly (readonly [number, number])[], w: number): Shape => (x, y) => {
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1] as readonly [number, number];
    const [bx, by] = points[i] as readonly [number, number];
    if (segDist(x, y, ax, ay, bx, by) <= w / 2) return true;
  }
  return false;
};
export const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));
export const minus = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) && !b(x, y);
export const roundedSquare = (inset: number, radius: number): Shape => (x, y) => {
  const lo = inset + radius, hi = 1 - inset - radius;
  const cx = Math.min(Math.max(x, lo), hi), cy = Math.min(Math.max(y, lo), hi);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
};

/** `top` composited over `bottom` (both RGBA, same size). */
export function over(bottom: Uint8Array, top: Uint8Array): Uint8Array {
  const out = new Uint8Array(bottom.length);
  for (let i = 0; i < bottom.length; i += 4) {
    const ta = (top[i + 3] as number) / 255, ba = (bottom[i + 3] as number) / 255;
    const a = ta + ba * (1 - ta);
    for (let c = 0; c < 3; c++) out[i + c] = a === 0 ? 0 : Math.round(((top[i + c] as number) * ta + (bottom[i + c] as number) * ba * (1 - ta)) / a);
    out[i + 3] = Math.round(a * 255);
  }
  return out;
}

/** Pixels where `shape` covers become transparent (anti-aliased). */
export function cutOut(px: Uint8Array, size: number, shape: Shape): Uint8Array {
  const mask = rasterise(size, [{ shape, color: BLACK }]);
  const out = Uint8Array.from(px);
  for (let i = 3; i < out.length; i += 4) out[i] = Math.round((out[i] as number) * (1 - (mask[i] as number) / 255));
  return out;
}
