/* global Konva */
// The render floor: the wall's columns and notes drawn with Konva directly (no React, no
// caching), panned by dragging the stage and zoomed with the wheel exactly as the wall does it
// (client/src/wall/useViewport.ts, NoteCard.tsx, DomainColumn.tsx). With `d.cull`, notes
// outside the view (plus the wall's 200-unit margin) are hidden on every move, as the wall
// culls them — but every node is built once, up front, so nothing is created while moving.
window.__buildFloor = (d) => {
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const PAD = 12;
  const measurer = new Konva.Text({ width: 240 - 2 * PAD, fontSize: 15, fontFamily: FONT, lineHeight: 1.25, wrap: 'word' });
  const heightOf = (text) => {
    measurer.text(text || ' ');
    return Math.min(300, Math.max(96, Math.ceil(measurer.height()) + 2 * PAD + 22));
  };
  const el = document.getElementById('c');
  const stage = new Konva.Stage({ container: el, width: el.clientWidth, height: el.clientHeight, draggable: true });
  const cols = new Konva.Layer();
  for (const c of d.columns) {
    const g = new Konva.Group({ x: c.x, y: 0, listening: false });
    g.add(new Konva.Rect({ width: 280, height: c.height, fill: c.color, cornerRadius: 8 }));
    g.add(new Konva.Text({ x: 20, y: 14, width: 200, height: 64, text: c.title, fontSize: 17, fontStyle: 'bold', fontFamily: FONT, fill: '#1f2937', wrap: 'word', ellipsis: true }));
    g.add(new Konva.Text({ x: 20, y: 66, text: String(c.count), fontSize: 12, fontFamily: FONT, fill: '#4b5563' }));
    g.add(new Konva.Circle({ x: 246, y: 30, radius: 16, fill: '#1f3a5f' }));
    g.add(new Konva.Text({ x: 230, y: 19, width: 32, align: 'center', text: '+', fontSize: 22, fill: '#fff' }));
    cols.add(g);
  }
  const layer = new Konva.Layer();
  const boxes = [];
  for (const n of d.notes) {
    const h = heightOf(n.text);
    const g = new Konva.Group({ x: n.x, y: n.y, name: 'note' });
    boxes.push({ g, x: n.x, y: n.y, h });
    g.add(new Konva.Rect({ width: 240, height: h, fill: n.color, cornerRadius: 4, stroke: 'rgba(0,0,0,0.18)', strokeWidth: 1, perfectDrawEnabled: false }));
    g.add(new Konva.Text({ x: PAD, y: PAD, width: 240 - 2 * PAD, height: h - 2 * PAD - 20, text: n.text, fontSize: 15, fontFamily: FONT, lineHeight: 1.25, fill: '#1b1b1b', wrap: 'word', ellipsis: true, listening: false, perfectDrawEnabled: false }));
    g.add(new Konva.Text({ x: PAD, y: h - PAD - 12, width: 240 - 2 * PAD, text: n.byline, fontSize: 12, fontFamily: FONT, fill: '#3d3d3d', wrap: 'none', ellipsis: true, listening: false, perfectDrawEnabled: false }));
    layer.add(g);
  }
  stage.add(cols);
  stage.add(layer);
  stage.scale({ x: d.view.scale, y: d.view.scale });
  stage.position({ x: d.view.x, y: d.view.y });
  const cull = () => {
    if (!d.cull) return;
    const s = stage.scaleX();
    const vx = -stage.x() / s - 200;
    const vy = -stage.y() / s - 200;
    const vw = stage.width() / s + 400;
    const vh = stage.height() / s + 400;
    for (const b of boxes) {
      const show = vx < b.x + 240 && vx + vw > b.x && vy < b.y + b.h && vy + vh > b.y;
      if (b.g.visible() !== show) b.g.visible(show);
    }
  };
  cull();
  stage.on('dragmove', cull);
  const clamp = (v) => Math.min(3, Math.max(0.1, v));
  stage.on('wheel', (e) => {
    e.evt.preventDefault();
    const { deltaX, deltaY, deltaMode, ctrlKey, metaKey } = e.evt;
    const mouseWheel = deltaMode === 1 || (deltaX === 0 && Math.abs(deltaY) >= 50 && Number.isInteger(deltaY));
    if (ctrlKey || metaKey || mouseWheel) {
      const at = stage.getPointerPosition() || { x: stage.width() / 2, y: stage.height() / 2 };
      const old = stage.scaleX();
      const scale = clamp(old * Math.exp(-deltaY * (ctrlKey ? 0.01 : 0.0015)));
      const wx = (at.x - stage.x()) / old;
      const wy = (at.y - stage.y()) / old;
      stage.scale({ x: scale, y: scale });
      stage.position({ x: at.x - wx * scale, y: at.y - wy * scale });
    } else {
      stage.position({ x: stage.x() - deltaX, y: stage.y() - deltaY });
    }
    cull();
    stage.batchDraw();
  });
  stage.draw();
  return { notes: boxes.length };
};
