export * from './matrix';
export * from './result-line';
export * from './client-script';
export * from './report';
