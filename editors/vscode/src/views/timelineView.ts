// The timeline view (a webview in the debug side bar): asks the session for `timeline` and
// `positionInfo` on every stop, shows the drawing model, and turns clicks, drags and zooms into
// `gotoPosition` and finer `timeline` requests.
import * as vscode from 'vscode';
import type { PositionInfoResponseBody, TimelineResponseBody } from '../../../../protocol/requests';
import { goTo } from './goTo';
import { BUCKETS, timelineModel, zoomRange, type SeqRange, type TimelineModel } from './timelineModel';
import { webviewHtml, webviewOptions } from './webviewHtml';
import type { PageRequest, TimelinePageMessage } from './webview/messages';

export const TIMELINE_VIEW = 'hindsight.timeline';
const NO_SESSION = 'Start a Hindsight debug session: its recording shows here.';

export class TimelineView implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private session: vscode.DebugSession | undefined;
  /** The zoomed range; undefined for the whole trace. */
  private range: SeqRange | undefined;
  private shown: TimelinePageMessage = { type: 'empty', text: NO_SESSION };
  /** Drops answers to a refresh that a later one overtook. */
  private generation = 0;

  constructor(private readonly extensionUri: vscode.Uri) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'timeline', `
<div class="toolbar">
  <span id="timeline-caption" class="caption" aria-live="polite"></span>
  <button id="timeline-zoom-in" title="Zoom in (or scroll up over the timeline)" aria-label="Zoom in">+</button>
  <button id="timeline-zoom-out" title="Zoom out (or scroll down)" aria-label="Zoom out">−</button>
  <button id="timeline-whole" title="Show the whole recording" aria-label="Whole recording">⤢</button>
</div>
<div id="timeline-warning" class="warning" role="status" hidden></div>
<svg id="hindsight-timeline" tabindex="0" role="img" aria-label="Timeline of the recording: click or drag to go to an event; arrow keys and Enter; + and − zoom" viewBox="0 0 1000 100" preserveAspectRatio="none"></svg>
<div id="timeline-position" class="caption"></div>
<div class="legend"><span class="swatch depth"></span>call depth<span class="swatch exception"></span>exception<span class="swatch breakpoint"></span>breakpoint hit</div>
<div id="timeline-empty" class="empty"></div>`);
    view.webview.onDidReceiveMessage((request: PageRequest) => this.handle(request));
    view.onDidDispose(() => { this.view = undefined; });
  }

  /** A stop (or changed breakpoints) in `session`: it becomes the session shown. */
  async refresh(session: vscode.DebugSession): Promise<void> {
    if (session !== this.session) this.range = undefined;
    this.session = session;
    const generation = ++this.generation;
    let message: TimelinePageMessage;
    try {
      const [timeline, position] = await Promise.all([
        session.customRequest('timeline', { buckets: BUCKETS, ...this.range }) as Promise<TimelineResponseBody>,
        session.customRequest('positionInfo', {}) as Promise<PositionInfoResponseBody>,
      ]);
      message = { type: 'model', model: timelineModel(timeline, position) };
    } catch (error) {
      message = { type: 'empty', text: `The timeline could not be read: ${(error as Error).message}` };
    }
    if (generation === this.generation && session === this.session) this.show(message);
  }

  /** Whether `session` is the one shown (it has stopped at least once). */
  showing(session: vscode.DebugSession): boolean {
    return session === this.session;
  }

  clear(session: vscode.DebugSession): void {
    if (session !== this.session) return;
    this.session = undefined;
    this.range = undefined;
    this.generation++;
    this.show({ type: 'empty', text: NO_SESSION });
  }

  private show(message: TimelinePageMessage): void {
    this.shown = message;
    void this.view?.webview.postMessage(message);
  }

  private handle(request: PageRequest): void {
    const session = this.session;
    const model: TimelineModel | undefined = this.shown.type === 'model' ? this.shown.model : undefined;
    if (request.type === 'ready') {
      void this.view?.webview.postMessage(this.shown);
    } else if (session && request.type === 'goto') {
      goTo(session, request.seq);
    } else if (session && model && request.type === 'zoom') {
      this.range = zoomRange(model.range, model.totalEvents, request.centerSeq, request.factor);
      void this.refresh(session);
    } else if (session && request.type === 'whole') {
      this.range = undefined;
      void this.refresh(session);
    }
  }
}
