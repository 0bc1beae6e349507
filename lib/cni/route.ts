/** A route handed to the pod (every IPAM's `routes`); a leaf of lib/cni so the IPAM builders need not import the envelope. */
export interface CniRoute {
  /** Destination CIDR, e.g. 0.0.0.0/0. */
  readonly dst: string;
  /** Next hop. @default - the IPAM's gateway (see `serializeCni`) */
  readonly gw?: string;
}
