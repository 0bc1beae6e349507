export * from './types';
export * from './diff';
export * from './markdown';
export * from './git';
