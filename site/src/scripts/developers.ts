/**
 * Script of the developers page (pages/developers/index.astro).
 */
import { markReady } from '../lib/dom';
// A static page: nothing to load beyond the session check the layout does.
markReady();
