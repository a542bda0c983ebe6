import { describe, expect, it } from 'vitest';
import { CBV_BIZSTEP_URI, inspectionDisposition, stageOfEvent, STAGE_KINDS, traceStage, TRACE_STAGES } from './trace-stages.ts';

// The CBV 2.0 bare words GS1's EPCIS 2.0 JSON Schema enumerates (definitions bizStep and
// disposition of EPCIS-JSON-Schema.json, gs1/EPCIS commit 2b888be).
const CBV = {
  bizStep: 'accepting arriving assembling collecting commissioning consigning creating_class_instance cycle_counting decommissioning departing destroying disassembling dispensing encoding entering_exiting holding inspecting installing killing loading other packing picking receiving removing repackaging repairing replacing reserving retail_selling shipping staging_outbound stock_taking stocking storing transporting unloading unpacking void_shipping sensor_reporting sampling',
  disposition: 'active container_closed damaged destroyed dispensed disposed encoded expired in_progress in_transit inactive no_pedigree_match non_sellable_other partially_dispensed recalled reserved retail_sold returned sellable_accessible sellable_not_accessible stolen unknown available completeness_verified completeness_inferred conformant container_open mismatch_instance mismatch_class mismatch_quantity needs_replacement non_conformant unavailable',
};
const bareWords = (name: keyof typeof CBV): string[] => CBV[name].split(' ');

describe('stage catalogue', () => {
  it('has one entry per stage kind, in order', () => {
    expect(TRACE_STAGES.map((s) => s.kind)).toEqual([...STAGE_KINDS]);
  });

  it.each(TRACE_STAGES.map((s) => [s.kind, s] as const))('%s uses CBV 2.0 bare words the EPCIS 2.0 schema knows', (_kind, stage) => {
    expect(bareWords('bizStep')).toContain(stage.bizStep);
    expect(bareWords('disposition')).toContain(stage.disposition);
    expect(stage.bizStep).not.toMatch(/^urn:/);
    expect(stage.name.vi.length).toBeGreaterThan(0);
    expect(stage.name.en.length).toBeGreaterThan(0);
    expect(stage.action === null).toBe(stage.type === 'TransformationEvent');
  });

  it.each([
    ['harvest', 'ObjectEvent', 'ADD', 'commissioning', 'active', null],
    ['inspection', 'ObjectEvent', 'OBSERVE', 'inspecting', 'conformant', null],
    ['processing', 'TransformationEvent', null, 'commissioning', 'in_progress', null],
    ['packing', 'ObjectEvent', 'OBSERVE', 'packing', 'in_progress', null],
    ['shipping', 'ObjectEvent', 'OBSERVE', 'shipping', 'in_transit', 'destination'],
    ['receiving', 'ObjectEvent', 'OBSERVE', 'receiving', 'in_progress', 'source'],
    ['retail', 'ObjectEvent', 'OBSERVE', 'retail_selling', 'retail_sold', null],
  ] as const)('%s → %s %s %s %s', (kind, type, action, bizStep, disposition, partner) => {
    expect(traceStage(kind)).toMatchObject({ type, action, bizStep, disposition, partner });
  });

  it('refuses an unknown kind', () => {
    expect(() => traceStage('fishing' as never)).toThrow(RangeError);
  });

  it('inspection dispositions are CBV words', () => {
    expect([inspectionDisposition('pass'), inspectionDisposition('fail')]).toEqual(['conformant', 'non_conformant']);
    expect(bareWords('disposition')).toContain('non_conformant');
  });

  it.each([
    ['ObjectEvent', 'ADD', 'commissioning', 'harvest'],
    ['ObjectEvent', 'ADD', `${CBV_BIZSTEP_URI}commissioning`, 'harvest'],
    ['TransformationEvent', undefined, 'commissioning', 'processing'],
    ['ObjectEvent', 'OBSERVE', 'shipping', 'shipping'],
    ['ObjectEvent', 'OBSERVE', 'retail_selling', 'retail'],
    ['ObjectEvent', 'OBSERVE', 'commissioning', undefined],
    ['ObjectEvent', 'OBSERVE', 'urn:epcglobal:cbv:bizstep:shipping', undefined],
    ['AggregationEvent', 'ADD', 'packing', undefined],
    ['ObjectEvent', 'OBSERVE', null, undefined],
  ] as const)('stageOfEvent(%s, %s, %s) → %s', (type, action, bizStep, kind) => {
    expect(stageOfEvent(type, action, bizStep)).toBe(kind);
  });
});
