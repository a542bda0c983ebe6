/**
 * The lot graph: lots are nodes (by the EPC class URI events name them with), and every
 * TransformationEvent draws an edge from each input lot to each output lot. Trace back walks
 * edges against their direction (what a lot was made from), trace forward along them (what was
 * made from it); shipments and receipts hang partners off the lots and are leaves, not edges.
 *
 * The database walks the stored graph with a recursive query (db/queries/trace-events.ts); these
 * pure functions walk a graph held in memory (a capture document's own events before they are
 * stored, tests) with the same rules: depth bounded by {@link MAX_TRACE_DEPTH}, cycles refused.
 */
import type { LotRole } from './trace-events.ts';

/** How many steps back or forward a trace follows: far beyond real supply chains, bounded. */
export const MAX_TRACE_DEPTH = 32;

/** An edge: the input lot `from` went into the output lot `to` in the event `eventId`. */
export type LotEdge = { from: string; to: string; eventId: string };

/**
 * The edges one event draws: every input class or EPC to every output (only TransformationEvents
 * have both).
 *
 * @example edgesOfEvent('ni:///e1', [{ role: 'input', epc: 'a' }, { role: 'output', epc: 'b' }]) // [{ from: "a", to: "b", eventId: "ni:///e1" }]
 */
export function edgesOfEvent(eventId: string, lots: readonly { role: LotRole; epc: string }[]): LotEdge[] {
  const inputs = lots.filter((l) => l.role === 'input');
  const outputs = lots.filter((l) => l.role === 'output');
  return inputs.flatMap((i) => outputs.map((o) => ({ from: i.epc, to: o.epc, eventId })));
}

/** A lot reached by a walk: its steps from the start and the event that reached it first. */
export type Reached = { epc: string; depth: number; viaEventId: string };

function walk(edges: readonly LotEdge[], start: string, direction: 'back' | 'forward', maxDepth: number): Reached[] {
  const next = new Map<string, LotEdge[]>();
  for (const e of edges) {
    const key = direction === 'back' ? e.to : e.from;
    next.set(key, [...(next.get(key) ?? []), e]);
  }
  const reached = new Map<string, Reached>([[start, { epc: start, depth: 0, viaEventId: '' }]]);
  let frontier = [start];
  for (let depth = 1; depth <= maxDepth && frontier.length; depth++) {
    const following: string[] = [];
    for (const lot of frontier) {
      for (const e of next.get(lot) ?? []) {
        const other = direction === 'back' ? e.from : e.to;
        if (reached.has(other)) continue;
        reached.set(other, { epc: other, depth, viaEventId: e.eventId });
        following.push(other);
      }
    }
    frontier = following;
  }
  reached.delete(start);
  return [...reached.values()];
}

/**
 * The lots `start` was made from, nearest first, each once (at its shortest distance), at most
 * `maxDepth` steps back.
 *
 * @example traceBackLots([{ from: 'fish', to: 'sauce', eventId: 'e1' }], 'sauce') // [{ epc: "fish", depth: 1, viaEventId: "e1" }]
 */
export function traceBackLots(edges: readonly LotEdge[], start: string, maxDepth = MAX_TRACE_DEPTH): Reached[] {
  return walk(edges, start, 'back', maxDepth);
}

/**
 * The lots made from `start`, nearest first, each once, at most `maxDepth` steps forward.
 *
 * @example traceForwardLots([{ from: 'fish', to: 'sauce', eventId: 'e1' }], 'fish') // [{ epc: "sauce", depth: 1, viaEventId: "e1" }]
 */
export function traceForwardLots(edges: readonly LotEdge[], start: string, maxDepth = MAX_TRACE_DEPTH): Reached[] {
  return walk(edges, start, 'forward', maxDepth);
}

/**
 * Whether a transformation from `inputs` to `output` would close a cycle in the graph: its
 * output is one of its inputs, or already an ancestor of one (the input was, some steps back,
 * made from the output). Such an event is refused: a lot cannot be made from itself.
 * The walk is unbounded (the graph is finite and each lot is visited once).
 *
 * @example wouldCreateCycle([{ from: 'sauce', to: 'bottled', eventId: 'e2' }], ['bottled'], 'sauce') // true
 */
export function wouldCreateCycle(edges: readonly LotEdge[], inputs: readonly string[], output: string): boolean {
  if (inputs.includes(output)) return true;
  const madeFromOutput = new Set(traceForwardLots(edges, output, Number.MAX_SAFE_INTEGER).map((r) => r.epc));
  return inputs.some((i) => madeFromOutput.has(i));
}
