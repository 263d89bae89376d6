// The messages between the views and their webview pages (both directions), as types.
import type { HistoryModel } from '../historyModel';
import type { TimelineModel } from '../timelineModel';

/** To a page: what to show. `text` says why there is nothing (no session, an error). */
export type TimelinePageMessage = { type: 'model'; model: TimelineModel } | { type: 'empty'; text: string };
export type HistoryPageMessage = { type: 'model'; model: HistoryModel } | { type: 'empty'; text: string };

/** From a page: go to an event; the timeline's zoom (factor < 1 in, > 1 out, around centerSeq) and its reset. */
export type PageRequest =
  | { type: 'ready' }
  | { type: 'goto'; seq: number }
  | { type: 'zoom'; centerSeq: number; factor: number }
  | { type: 'whole' };
