// The timeline page (runs in the webview): draws the model as SVG bars, marks and a cursor; a click
// or a drag's release goes to the event under the pointer (keys: ←/→ pick, Enter goes); the wheel,
// buttons and +/− zoom.
import { seqAt, type TimelineModel } from '../timelineModel';
import type { PageRequest, TimelinePageMessage } from './messages';
import { element, pageApi, svgElement } from './page';

const api = pageApi();
const svg = element<SVGSVGElement>('hindsight-timeline');
const caption = element('timeline-caption');
const warning = element('timeline-warning');
const position = element('timeline-position');
const empty = element('timeline-empty');
let model: TimelineModel | undefined;
let dragging = false;
/** The event the arrow keys picked, for Enter. */
let picked: number | undefined;

const post = (request: PageRequest) => api.postMessage(request);

window.addEventListener('message', (event: MessageEvent<TimelinePageMessage>) => {
  const message = event.data;
  model = message.type === 'model' ? message.model : undefined;
  picked = undefined;
  if (message.type === 'model') draw(message.model);
  else clear(message.text);
});

function clear(text: string): void {
  svg.replaceChildren();
  svg.style.display = 'none';
  for (const part of [caption, position]) part.textContent = '';
  warning.hidden = true;
  empty.textContent = text;
}

function draw(shown: TimelineModel): void {
  svg.style.display = '';
  empty.textContent = '';
  caption.textContent = shown.caption;
  warning.hidden = shown.warning === null;
  warning.textContent = shown.warning ? `Note: ${shown.warning}.` : '';
  position.textContent = shown.cursorSeq === null ? '' : `position ${shown.cursorSeq} / ${shown.totalEvents}`
    + (shown.cursor === null ? ' (outside the range shown)' : '');
  const parts: SVGElement[] = [];
  for (const bar of shown.bars) {
    const x = bar.x * 1000;
    const width = Math.max(bar.width * 1000, 0.5);
    parts.push(svgElement('rect', { class: 'timeline-bar', x, width, y: 100 - bar.height * 76, height: bar.height * 76, 'data-start-seq': bar.startSeq }, bar.title));
    if (bar.exceptions) parts.push(svgElement('rect', { class: 'timeline-exception', x, width: Math.max(width, 10), y: 0, height: 10 }, bar.title));
    if (bar.breakpointHits) parts.push(svgElement('rect', { class: 'timeline-breakpoint', x, width: Math.max(width, 10), y: 12, height: 10 }, bar.title));
  }
  // Kept whole inside the strip, also at the first and last event.
  if (shown.cursor !== null) parts.push(svgElement('rect', { id: 'timeline-cursor', x: Math.min(Math.max(shown.cursor * 1000 - 1, 0), 997), width: 3, y: 0, height: 100 }, `position ${shown.cursorSeq}`));
  svg.replaceChildren(...parts);
}

function seqUnder(event: MouseEvent): number | undefined {
  if (!model) return undefined;
  const box = svg.getBoundingClientRect();
  return seqAt(model.range, (event.clientX - box.left) / box.width);
}

svg.addEventListener('pointerdown', (event) => {
  dragging = true;
  svg.setPointerCapture(event.pointerId);
  preview(event);
});
svg.addEventListener('pointermove', (event) => {
  if (dragging) preview(event);
});
svg.addEventListener('pointerup', (event) => {
  if (!dragging) return;
  dragging = false;
  const seq = seqUnder(event);
  if (seq !== undefined) post({ type: 'goto', seq });
});

/** While dragging, the label says where a release will go. */
function preview(event: PointerEvent): void {
  const seq = seqUnder(event);
  if (seq !== undefined && model) position.textContent = `go to event ${seq} / ${model.totalEvents}`;
}

svg.addEventListener('wheel', (event) => {
  const seq = seqUnder(event);
  if (seq === undefined) return;
  event.preventDefault();
  post({ type: 'zoom', centerSeq: seq, factor: event.deltaY < 0 ? 0.5 : 2 });
}, { passive: false });

/** Buttons and keys zoom around the picked event, else the cursor when in view, else the middle. */
function zoomCenter(): number {
  if (!model) return 1;
  if (picked !== undefined) return picked;
  return model.cursor !== null && model.cursorSeq !== null ? model.cursorSeq : Math.round((model.range.startSeq + model.range.endSeq) / 2);
}
svg.addEventListener('keydown', (event) => {
  if (!model) return;
  const { startSeq, endSeq } = model.range;
  if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
    const step = Math.ceil((endSeq - startSeq + 1) / model.bars.length) * (event.key === 'ArrowLeft' ? -1 : 1);
    const from = picked ?? (model.cursor === null ? startSeq : model.cursorSeq ?? startSeq);
    picked = Math.min(Math.max(from + step, startSeq), endSeq);
    position.textContent = `Enter: go to event ${picked} / ${model.totalEvents}`;
  } else if (event.key === 'Enter' && picked !== undefined) {
    post({ type: 'goto', seq: picked });
  } else if (event.key === '+' || event.key === '-') {
    post({ type: 'zoom', centerSeq: zoomCenter(), factor: event.key === '+' ? 0.5 : 2 });
  } else {
    return;
  }
  event.preventDefault();
});

element('timeline-zoom-in').addEventListener('click', () => post({ type: 'zoom', centerSeq: zoomCenter(), factor: 0.5 }));
element('timeline-zoom-out').addEventListener('click', () => post({ type: 'zoom', centerSeq: zoomCenter(), factor: 2 }));
element('timeline-whole').addEventListener('click', () => post({ type: 'whole' }));
post({ type: 'ready' });
