export * from './catalogue';
export * from './example';
export * from './structural';
