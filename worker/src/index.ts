import { createApp } from './app.ts';

/** The Worker entry: the Hono app answers every request. */
export default createApp();
