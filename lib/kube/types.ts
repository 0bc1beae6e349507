/** The few fields of Kubernetes API objects that multinic reads (core/v1 Node and Pod, list envelopes). */

export interface KubeOwnerReference {
  readonly kind: string;
  readonly name: string;
}

export interface KubeObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly KubeOwnerReference[];
  readonly deletionTimestamp?: string;
}

/** A node taint (core/v1 Taint). */
export interface KubeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export interface KubeNode {
  readonly metadata: KubeObjectMeta;
  readonly spec?: { readonly taints?: readonly KubeTaint[] };
}

export interface KubePod {
  readonly metadata: KubeObjectMeta;
  readonly spec?: { readonly nodeName?: string };
  readonly status?: { readonly phase?: string };
}

/** A list response: `items` plus the `continue` token of the next page (empty or absent on the last). */
export interface KubeList<T> {
  readonly items?: readonly T[];
  readonly metadata?: { readonly continue?: string; readonly resourceVersion?: string };
}
