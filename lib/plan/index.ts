export * from './types';
export * from './build';
export * from './capacity';
export * from './mermaid';
export * from './markdown';
