export * from './node-config';
export * from './node-files';
export * from './per-node-cni';
