// Types of track-body-validator.generated.js (ajv standalone code for the seed's
// track request schema; tools/gen-validators.ts). Hand-written: the shape ajv gives
// every standalone validator.
export interface StandaloneValidationError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export interface StandaloneValidator {
  (data: unknown): boolean;
  /** The first problem of the last call that returned false; null after a valid one. */
  errors?: StandaloneValidationError[] | null;
}

export declare const validate: StandaloneValidator;
export default validate;
