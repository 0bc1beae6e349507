export * from './daemon-config';
export * from './multus-thick';
