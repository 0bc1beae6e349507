export * from './types';
export * from './table';
export * from './aws';
export * from './k8s';
export * from './network-status';
export * from './ranges';
