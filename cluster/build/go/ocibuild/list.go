package main

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Listing is what `ocibuild list` prints: enough to check an archive without a container runtime.
type Listing struct {
	Images []ListedImage `json:"images"`
}

// ListedImage is one index entry with its config and the entries of each layer.
type ListedImage struct {
	Ref      string          `json:"ref"`
	Manifest string          `json:"manifest"`
	Config   json.RawMessage `json:"config"`
	Layers   []ListedLayer   `json:"layers"`
}

// ListedLayer lists a layer's entries as "mode uid:gid size mtime name[ -> target]".
type ListedLayer struct {
	Digest  string   `json:"digest"`
	Entries []string `json:"entries"`
}

func listArchive(archive string) (Listing, error) {
	var l Listing
	tmp, err := os.MkdirTemp("", "ocibuild-list-")
	if err != nil {
		return l, err
	}
	defer os.RemoveAll(tmp)
	idx, err := readArchive(archive, tmp)
	if err != nil {
		return l, err
	}
	blob := func(d string) string { return filepath.Join(tmp, "blobs", "sha256", strings.TrimPrefix(d, "sha256:")) }
	for _, desc := range idx.Manifests {
		var m Manifest
		data, err := os.ReadFile(blob(desc.Digest))
		if err == nil {
			err = json.Unmarshal(data, &m)
		}
		if err != nil {
			return l, fmt.Errorf("manifest %s: %w", desc.Digest, err)
		}
		cfg, err := os.ReadFile(blob(m.Config.Digest))
		if err != nil {
			return l, fmt.Errorf("config %s: %w", m.Config.Digest, err)
		}
		img := ListedImage{Ref: desc.Annotations[annotationName], Manifest: desc.Digest, Config: cfg}
		for _, ld := range m.Layers {
			entries, err := layerEntries(blob(ld.Digest))
			if err != nil {
				return l, fmt.Errorf("layer %s: %w", ld.Digest, err)
			}
			img.Layers = append(img.Layers, ListedLayer{Digest: ld.Digest, Entries: entries})
		}
		l.Images = append(l.Images, img)
	}
	return l, nil
}

func layerEntries(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(gz)
	var out []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		e := fmt.Sprintf("%04o %d:%d %d %d %s", h.Mode, h.Uid, h.Gid, h.Size, h.ModTime.Unix(), h.Name)
		if h.Typeflag == tar.TypeSymlink {
			e += " -> " + h.Linkname
		}
		out = append(out, e)
	}
}

// archiveRefs returns the io.containerd.image.name of every index entry of an archive (reads index.json only).
func archiveRefs(archive string) ([]string, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("%s is not an OCI archive (no index.json)", archive)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", archive, err)
		}
		if filepath.Clean(h.Name) != "index.json" {
			continue
		}
		var idx Index
		if err := json.NewDecoder(tr).Decode(&idx); err != nil {
			return nil, fmt.Errorf("%s: index.json: %w", archive, err)
		}
		var refs []string
		for _, d := range idx.Manifests {
			refs = append(refs, d.Annotations[annotationName])
		}
		return refs, nil
	}
}
