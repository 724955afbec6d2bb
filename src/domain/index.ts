/** The pure domain: values, events, commands, errors, deadline interpretation and the decider. */
export * from './values.js';
export * from './events.js';
export * from './commands.js';
export * from './errors.js';
export * from './clock.js';
export * from './duration.js';
export * from './deadline.js';
export * from './decide.js';
export * from './parties.js';
