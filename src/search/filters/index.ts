// The pure logic of the Conversations filters: time periods, loose inputs, custom data operators.
export * from './periods.ts';
export * from './loose-input.ts';
export * from './custom-data.ts';
export { filterError, type FilterErrorReason } from './errors.ts';
