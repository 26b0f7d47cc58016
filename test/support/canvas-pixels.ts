/// <reference lib="dom" />
/**
 * Runs in the browser: bundled into a test page, or handed whole to Playwright's `evaluate`
 * (so it uses nothing from outside its own body).
 */

/** Pixels of the canvases under `root` within 10 of the colour `#rrggbb` in each channel. */
export function countCanvasPixels(hex: string, root: ParentNode = document): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [
    number,
    number,
    number,
  ];
  let n = 0;
  for (const canvas of Array.from(root.querySelectorAll('canvas'))) {
    if (canvas.width === 0 || canvas.height === 0) continue;
    const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
      0,
      0,
      canvas.width,
      canvas.height,
    ).data;
    for (let i = 0; i < data.length; i += 4) {
      if (
        (data[i + 3] as number) > 0 &&
        Math.abs((data[i] as number) - r) <= 10 &&
        Math.abs((data[i + 1] as number) - g) <= 10 &&
        Math.abs((data[i + 2] as number) - b) <= 10
      )
        n++;
    }
  }
  return n;
}
