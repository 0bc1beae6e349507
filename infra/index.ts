export * from './cluster-stack';
export * from './defaults';
export * from './network-stack';
export * from './node-group';
export * from './stacks';
export * from './user-data';
