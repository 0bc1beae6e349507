export * from './box';
export * from './topology';
export * from './up';
export * from './down';
export * from './status';
export * from './testing';
