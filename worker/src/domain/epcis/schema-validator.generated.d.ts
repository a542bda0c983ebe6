/** One error of the generated validator (Ajv's error object, the fields this project reads). */
export interface SchemaValidatorError {
  /** JSON Pointer (RFC 6901) of the offending value, '' for the document itself. */
  instancePath: string;
  /** Where in GS1's schema the failed keyword is, e.g. '#/definitions/bizStep/anyOf'. */
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** GS1's EPCIS 2.0 JSON Schema compiled by Ajv (see scripts/generate-epcis-validator.ts). */
declare const validate: ((data: unknown) => boolean) & { errors: SchemaValidatorError[] | null };
export default validate;
