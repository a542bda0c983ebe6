import { describe, expect, it } from 'vitest';
import { edgesOfEvent, traceBackLots, traceForwardLots, wouldCreateCycle, type LotEdge } from './trace-graph.ts';

// anchovy + salt → fish sauce (e1); fish sauce → bottled sauce (e2); bottled + labels → gift box (e3)
const edges: LotEdge[] = [
  ...edgesOfEvent('e1', [
    { role: 'input', epc: 'anchovy' },
    { role: 'input', epc: 'salt' },
    { role: 'output', epc: 'sauce' },
  ]),
  ...edgesOfEvent('e2', [
    { role: 'input', epc: 'sauce' },
    { role: 'output', epc: 'bottled' },
  ]),
  ...edgesOfEvent('e3', [
    { role: 'input', epc: 'bottled' },
    { role: 'input', epc: 'labels' },
    { role: 'object', epc: 'ignored' },
    { role: 'output', epc: 'giftbox' },
  ]),
];

describe('lot graph', () => {
  it('draws an edge from each input to each output, none from other roles', () => {
    expect(edges.filter((e) => e.eventId === 'e3')).toEqual([
      { from: 'bottled', to: 'giftbox', eventId: 'e3' },
      { from: 'labels', to: 'giftbox', eventId: 'e3' },
    ]);
    expect(edgesOfEvent('e9', [{ role: 'object', epc: 'x' }])).toEqual([]);
  });

  it('traces back as far as the records go, nearest first', () => {
    expect(traceBackLots(edges, 'giftbox')).toEqual([
      { epc: 'bottled', depth: 1, viaEventId: 'e3' },
      { epc: 'labels', depth: 1, viaEventId: 'e3' },
      { epc: 'sauce', depth: 2, viaEventId: 'e2' },
      { epc: 'anchovy', depth: 3, viaEventId: 'e1' },
      { epc: 'salt', depth: 3, viaEventId: 'e1' },
    ]);
    expect(traceBackLots(edges, 'anchovy')).toEqual([]);
  });

  it('traces forward to every derived lot', () => {
    expect(traceForwardLots(edges, 'anchovy').map((r) => [r.epc, r.depth])).toEqual([
      ['sauce', 1],
      ['bottled', 2],
      ['giftbox', 3],
    ]);
  });

  it('stops at the depth bound', () => {
    expect(traceBackLots(edges, 'giftbox', 1).map((r) => r.epc)).toEqual(['bottled', 'labels']);
    const chain: LotEdge[] = Array.from({ length: 40 }, (_, i) => ({ from: `l${i}`, to: `l${i + 1}`, eventId: `c${i}` }));
    expect(traceForwardLots(chain, 'l0')).toHaveLength(32);
  });

  it('visits each lot once, even in a graph that already holds a cycle', () => {
    const looped: LotEdge[] = [
      { from: 'a', to: 'b', eventId: 'x1' },
      { from: 'b', to: 'a', eventId: 'x2' },
    ];
    expect(traceForwardLots(looped, 'a')).toEqual([{ epc: 'b', depth: 1, viaEventId: 'x1' }]);
  });

  it.each([
    [['sauce'], 'sauce', true], // output is an input
    [['bottled'], 'sauce', true], // bottled was made from sauce
    [['giftbox'], 'anchovy', true], // three steps round
    [['labels', 'giftbox'], 'salt', true],
    [['sauce'], 'sauce2', false],
    [['anchovy'], 'bottled', false], // a second path to an existing lot is no cycle
    [['labels'], 'salt', false],
  ])('wouldCreateCycle(%j → %s) = %s', (inputs, output, cycle) => {
    expect(wouldCreateCycle(edges, inputs, output)).toBe(cycle);
  });
});
