export * from './types';
export * from './kubeconfig';
export * from './client';
