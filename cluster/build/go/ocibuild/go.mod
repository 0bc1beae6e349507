// The OCI image builder of the local cluster: standard library only, so it builds offline in seconds.
module multinic.local/box/ocibuild

go 1.26
