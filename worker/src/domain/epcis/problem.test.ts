import { describe, expect, it } from 'vitest';
import { buildEpcisProblem, buildValidationProblem, MAX_LISTED_ERRORS } from './problem.ts';

describe('buildValidationProblem', () => {
  it('is the binding’s ValidationException with the first fault in detail and every fault listed', () => {
    const errors = [
      { pointer: '/epcisBody/eventList/0/bizStep', message: 'unknown CBV 2.0 business step "shiping"' },
      { pointer: '/epcisBody/eventList/3/eventTime', message: 'time has no UTC offset' },
    ];
    expect(buildValidationProblem(errors, 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427')).toEqual({
      type: 'epcisException:ValidationException',
      title: 'The EPCIS document is not valid',
      status: 400,
      detail: '2 errors; /epcisBody/eventList/0/bizStep: unknown CBV 2.0 business step "shiping"',
      instance: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      errors,
    });
  });

  it('names the root as / and lists at most MAX_LISTED_ERRORS faults while counting them all', () => {
    const errors = Array.from({ length: 250 }, (_, i) => ({ pointer: i === 0 ? '' : `/epcisBody/eventList/${i}`, message: 'bad' }));
    const problem = buildValidationProblem(errors);
    expect(problem.detail).toBe('250 errors; /: bad');
    expect(problem.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(problem).not.toHaveProperty('instance');
  });

  it('throws RangeError without errors', () => {
    expect(() => buildValidationProblem([])).toThrow(RangeError);
  });
});

describe('buildEpcisProblem', () => {
  it('writes the binding’s other exceptions, detail and instance only when given', () => {
    expect(buildEpcisProblem('epcisException:CaptureLimitExceededException', 413, 'Capture payload too large', 'at most 1000 events')).toEqual({
      type: 'epcisException:CaptureLimitExceededException',
      title: 'Capture payload too large',
      status: 413,
      detail: 'at most 1000 events',
    });
    expect(buildEpcisProblem('epcisException:NoSuchResourceException', 404, 'No such capture job')).toEqual({
      type: 'epcisException:NoSuchResourceException',
      title: 'No such capture job',
      status: 404,
    });
  });
});
