// The clustered-dot screen that grey fills of rendered documents print with.

/**
 * An 8 × 8 clustered-dot screen as 0..255 thresholds: cells darken from the centre outwards, so a grey fill prints
 * as round dots. Dispersed (Bayer) dots would look smoother but put a colour change every few pixels, which T.4/T.6
 * coding handles worst: a shaded page grew from 17 KB to 250 KB in MMR and took minutes to send.
 */
export const CLUSTERED_DOT_8 = (() => {
  const size = 8;
  const centre = (size - 1) / 2;
  const cells = Array.from({ length: size * size }, (_, i) => {
    const dx = (i % size) - centre;
    const dy = Math.floor(i / size) - centre;
    return { i, distance: dx * dx + dy * dy, angle: Math.atan2(dy, dx) };
  }).sort((a, b) => a.distance - b.distance || a.angle - b.angle);
  const out = new Uint8Array(size * size);
  for (const [rank, cell] of cells.entries()) out[cell.i] = Math.round(((rank + 0.5) * 256) / (size * size));
  return out;
})();
