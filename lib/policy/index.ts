export * from './addresses';
export * from './daemon-image';
export * from './describe';
export * from './multi-network-policies';
export * from './peers';
export * from './security-group-rules';
