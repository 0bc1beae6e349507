export * from './whereabouts';
