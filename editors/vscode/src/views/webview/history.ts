// The variable-history page (runs in the webview): numbers as a step chart, every change as a table
// row; changes after the current stop are marked; a click on a point or row goes to that change.
import type { HistoryModel } from '../historyModel';
import type { HistoryPageMessage, PageRequest } from './messages';
import { element, pageApi, svgElement } from './page';

const api = pageApi();
const title = element('history-title');
const note = element('history-note');
const chart = element<SVGSVGElement>('history-chart');
const body = element<HTMLTableElement>('history-table').tBodies[0] as HTMLTableSectionElement;
const empty = element('history-empty');

const post = (request: PageRequest) => api.postMessage(request);

window.addEventListener('message', (event: MessageEvent<HistoryPageMessage>) => {
  const message = event.data;
  if (message.type === 'model') draw(message.model);
  else clear(message.text);
});

function clear(text: string): void {
  chart.replaceChildren();
  chart.style.display = 'none';
  body.replaceChildren();
  note.hidden = true;
  empty.textContent = text;
}

function draw(model: HistoryModel): void {
  empty.textContent = '';
  title.textContent = `${model.name} (${model.scope}): ${model.rows.length} change${model.rows.length === 1 ? '' : 's'}`;
  note.hidden = model.note === null;
  note.textContent = model.note ? `Showing ${model.note}.` : '';
  drawChart(model);
  body.replaceChildren(...model.rows.map((row) => {
    const tr = document.createElement('tr');
    tr.className = row.later ? 'later' : '';
    tr.title = `go to event ${row.seq}${row.later ? ' (after the current stop)' : ''}`;
    for (const text of [String(row.seq), String(row.line), row.value, row.type]) tr.insertCell().textContent = text;
    tr.addEventListener('click', () => post({ type: 'goto', seq: row.seq }));
    return tr;
  }));
}

function drawChart(model: HistoryModel): void {
  const shown = model.chart;
  chart.style.display = shown ? '' : 'none';
  if (!shown) {
    chart.replaceChildren();
    return;
  }
  chart.setAttribute('viewBox', `0 0 ${shown.width} ${shown.height}`);
  const axis = (y: number, text: string) => {
    const label = svgElement('text', { class: 'history-axis', x: 2, y }, text);
    label.append(text);
    return label;
  };
  chart.replaceChildren(
    svgElement('path', { class: 'history-line', d: shown.path }, model.name),
    ...shown.points.map((point) => {
      const dot = svgElement('circle', { class: 'history-point', cx: point.x, cy: point.y, r: 4 }, `${point.value} from event ${point.seq}`);
      dot.addEventListener('click', () => post({ type: 'goto', seq: point.seq }));
      return dot;
    }),
    axis(12, shown.maxLabel),
    axis(shown.height - 4, shown.minLabel),
  );
}

post({ type: 'ready' });
