import { describe, expect, it } from 'vitest';
import { VARIABLE_LIMITS } from '../licenseapi/limits.ts';
import { CATALOGUE, PII_VARIABLES, catalogueEntry } from './catalogue.ts';

describe('the catalogue', () => {
  it('documents at least 15 variables with unique names inside the limits', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(15);
    const names = CATALOGUE.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of CATALOGUE) {
      expect(entry.name).toMatch(VARIABLE_LIMITS.namePattern);
      expect(entry.description.length).toBeGreaterThan(10);
      if (entry.quantum !== undefined) expect(entry.quantum).toBeGreaterThan(0);
    }
    expect(CATALOGUE.length).toBeLessThanOrEqual(VARIABLE_LIMITS.maxVariables);
  });

  it('marks exactly the PII variables as PII', () => {
    expect(CATALOGUE.filter((e) => e.pii).map((e) => e.name).sort()).toEqual(Object.values(PII_VARIABLES).sort());
  });

  it('quantises every percentage and GB figure', () => {
    for (const entry of CATALOGUE.filter((e) => e.unit === '%' || e.unit === 'GB' || e.unit === 'h')) {
      expect(entry.quantum, entry.name).toBeDefined();
    }
    expect(catalogueEntry('ram_used_gb')?.quantum).toBe(0.1);
    expect(catalogueEntry('nope')).toBeUndefined();
  });
});
