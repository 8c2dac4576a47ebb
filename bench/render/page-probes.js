// Injected into benchmark pages (addInitScript) before any of their own code runs.
//  - Frame recorder: every requestAnimationFrame timestamp while window.__bench.recording.
//  - Completeness probe (cold load): the wall's first frame showing its columns, and the first
//    frame after the wall holds `window.__bench.expectNotes` notes (the frame after, so that the
//    canvas draw scheduled with them has happened).
(() => {
  const bench = { recording: false, frames: [], expectNotes: 0, wallAt: null, completeAt: null };
  window.__bench = bench;
  const loop = (ts) => {
    if (bench.recording) bench.frames.push(ts);
    if (bench.expectNotes && bench.completeAt === null) {
      const m = window.__maillage;
      if (m) {
        if (bench.wallAt === null && m.columns().length > 0) bench.wallAt = performance.now();
        if (m.notes().length >= bench.expectNotes) {
          requestAnimationFrame(() => {
            bench.completeAt = performance.now();
          });
          bench.expectNotes = 0;
        }
      }
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
})();
