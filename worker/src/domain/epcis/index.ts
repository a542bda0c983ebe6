/**
 * EPCIS 2.0 (GS1) for trace events, pure: the event hash ID, validation against GS1's JSON
 * Schema and EPCIS/CBV business rules, the CBV 2.0 vocabularies, Digital Link normalisation and
 * the REST binding's problem bodies.
 */
export { buildEventPreHash, computeEventHashId, formatHashNumber, listDocumentEvents, normaliseHashTime, type EventHashOptions, type Json } from './event-hash.ts';
export { normaliseGs1Uri } from './digital-link.ts';
export { checkEpcisRules, EVENT_TYPES, type EpcisValidationError } from './rules.ts';
export { validateEpcisDocument, type EpcisValidationResult } from './validation.ts';
export { buildEpcisProblem, buildValidationProblem, MAX_LISTED_ERRORS, PROBLEM_MEDIA_TYPE, type EpcisExceptionType, type EpcisProblem } from './problem.ts';
export { EPCIS_CONTEXT_URI, VOCABULARIES, expandVocabularyWord, type VocabularyKind } from './vocabulary.ts';
