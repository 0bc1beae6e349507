export * from './multi-networkpolicy-daemon';
export * from './network-policies';
