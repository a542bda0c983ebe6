import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_VALIDATOR_PATH, generateEpcisValidatorSource } from '../../../../scripts/generate-epcis-validator.ts';

describe('schema-validator.generated.js', () => {
  it('is what `npm run gen:epcis-validator` makes of the shipped schema today', async () => {
    expect(readFileSync(GENERATED_VALIDATOR_PATH, 'utf8') === (await generateEpcisValidatorSource())).toBe(true);
  });

  it('needs no code generation at run time (Workers forbid eval and new Function) and imports nothing', () => {
    const source = readFileSync(GENERATED_VALIDATOR_PATH, 'utf8');
    expect(source).not.toMatch(/\bnew Function\b|\beval\(|^\s*import\s/m);
    expect(source).not.toMatch(/(?<![\w'"])require\(/);
  });
});
