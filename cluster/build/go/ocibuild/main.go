// Command ocibuild builds the container images of the local cluster without a container engine.
//
//	ocibuild image -o OUT.tar -ref REF... -rootfs DIR... [-entrypoint JSON] [-cmd JSON] [-env K=V]... [-workdir DIR] [-user U] [-port P/tcp]
//	ocibuild list ARCHIVE.tar        the references, digests, config and layer listings of an archive, as JSON
//	ocibuild store -root DIR ARCHIVE.tar...   writes the images into a distribution registry's filesystem storage
//
// An archive is an OCI image layout in one tar: `ctr -n k8s.io images import` names each image after the
// io.containerd.image.name annotation of its index entry. The same rootfs trees and flags give the same bytes.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "image":
		err = cmdImage(os.Args[2:])
	case "list":
		err = cmdList(os.Args[2:])
	case "store":
		err = cmdStore(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ocibuild %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: ocibuild image|list|store ... (see the package comment)")
	os.Exit(2)
}

func jsonList(flagName, v string) ([]string, error) {
	if v == "" {
		return nil, nil
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, fmt.Errorf("-%s must be a JSON array of strings: %w", flagName, err)
	}
	return out, nil
}

func cmdImage(args []string) error {
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	var refs, roots, env, ports, labels multi
	out := fs.String("o", "", "output archive")
	entrypoint := fs.String("entrypoint", "", "JSON array")
	cmd := fs.String("cmd", "", "JSON array")
	workdir := fs.String("workdir", "", "working directory")
	user := fs.String("user", "", "user[:group]")
	creator := fs.String("creator", "multinic cluster/build", "history created_by")
	fs.Var(&refs, "ref", "full image reference (repeatable)")
	fs.Var(&roots, "rootfs", "directory of one layer (repeatable, bottom first)")
	fs.Var(&env, "env", "K=V (repeatable)")
	fs.Var(&ports, "port", "exposed port like 80/tcp (repeatable)")
	fs.Var(&labels, "label", "k=v (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("-o is required")
	}
	spec := Spec{Refs: refs, Layers: roots, Creator: *creator,
		Config: RunConfig{Env: env, WorkingDir: *workdir, User: *user}}
	var err error
	if spec.Config.Entrypoint, err = jsonList("entrypoint", *entrypoint); err != nil {
		return err
	}
	if spec.Config.Cmd, err = jsonList("cmd", *cmd); err != nil {
		return err
	}
	for _, p := range ports {
		if spec.Config.ExposedPorts == nil {
			spec.Config.ExposedPorts = map[string]struct{}{}
		}
		spec.Config.ExposedPorts[p] = struct{}{}
	}
	for _, l := range labels {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			return fmt.Errorf("-label %q is not k=v", l)
		}
		if spec.Config.Labels == nil {
			spec.Config.Labels = map[string]string{}
		}
		spec.Config.Labels[k] = v
	}
	digest, err := buildImage(spec, *out)
	if err != nil {
		return err
	}
	fmt.Println(digest)
	return nil
}

func cmdList(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: ocibuild list ARCHIVE")
	}
	l, err := listArchive(args[0])
	if err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(l)
}

func cmdStore(args []string) error {
	fs := flag.NewFlagSet("store", flag.ContinueOnError)
	root := fs.String("root", "", "registry storage root (storage.filesystem.rootdirectory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *root == "" || fs.NArg() == 0 {
		return fmt.Errorf("usage: ocibuild store -root DIR ARCHIVE...")
	}
	// A registry serving several upstream hosts as their mirror sees only repository and tag: two references that
	// differ by host alone would overwrite each other.
	seen := map[string]string{}
	for _, a := range fs.Args() {
		refs, err := archiveRefs(a)
		if err != nil {
			return err
		}
		for _, r := range refs {
			ref, err := parseRef(r)
			if err != nil {
				return err
			}
			key := ref.Repo + ":" + ref.Tag + "@" + ref.Digest
			if other, ok := seen[key]; ok && other != r {
				return fmt.Errorf("%s and %s would be the same repository %s in one registry: rename one", other, r, ref.Repo)
			}
			seen[key] = r
		}
	}
	for _, a := range fs.Args() {
		stored, err := storeArchive(*root, a)
		if err != nil {
			return err
		}
		for _, s := range stored {
			fmt.Println(s)
		}
	}
	return nil
}
