// Canvases drawn at the screen's pixel density: the backing store is the CSS size times
// devicePixelRatio (2 on a high-DPI screen), so lines and text stay sharp; drawing code keeps
// working in CSS pixels through the context's scale.

/** The screen's device pixels per CSS pixel (1 where unknown). */
export function pixelRatio(): number {
  const ratio = typeof window === 'undefined' ? 1 : window.devicePixelRatio;
  return Number.isFinite(ratio) && ratio > 0 ? ratio : 1;
}

/**
 * Sizes a canvas for `width` × `height` CSS pixels at the screen's density and answers its 2D
 * context scaled to CSS pixels (null without one). Cheap when the size is already right.
 */
export function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number): { ctx: CanvasRenderingContext2D; ratio: number } | null {
  const ratio = pixelRatio();
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, ratio };
}
