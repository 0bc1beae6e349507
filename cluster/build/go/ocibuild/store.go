package main

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// readArchive returns the index and the blob paths of an OCI archive, unpacked into dir.
func readArchive(archive, dir string) (Index, error) {
	var idx Index
	f, err := os.Open(archive)
	if err != nil {
		return idx, err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return idx, fmt.Errorf("%s: %w", archive, err)
		}
		name := filepath.Clean(hdr.Name)
		if hdr.Typeflag != tar.TypeReg || strings.HasPrefix(name, "..") || filepath.IsAbs(name) {
			continue
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return idx, err
		}
		out, err := os.Create(dst)
		if err != nil {
			return idx, err
		}
		_, err = io.Copy(out, tr)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return idx, err
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return idx, fmt.Errorf("%s is not an OCI archive (no index.json): %w", archive, err)
	}
	if err := json.Unmarshal(data, &idx); err != nil {
		return idx, fmt.Errorf("%s: index.json: %w", archive, err)
	}
	return idx, nil
}

// storeArchive writes every image of archive into the filesystem storage of a distribution registry (v2.x) rooted at
// root, under the repository of each reference without its host: what the registry would hold after a push.
// A registry started on that root (storage.filesystem.rootdirectory) then serves them; containerd nodes reach it as a
// mirror of each upstream host (hosts.toml), which asks for the same repository path.
func storeArchive(root, archive string) ([]string, error) {
	tmp, err := os.MkdirTemp("", "ocibuild-store-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	idx, err := readArchive(archive, tmp)
	if err != nil {
		return nil, err
	}
	v2 := filepath.Join(root, "docker", "registry", "v2")
	blobPath := func(d string) string { return filepath.Join(tmp, "blobs", "sha256", strings.TrimPrefix(d, "sha256:")) }
	putBlob := func(d string) error {
		hex := strings.TrimPrefix(d, "sha256:")
		dst := filepath.Join(v2, "blobs", "sha256", hex[:2], hex, "data")
		if _, err := os.Stat(dst); err == nil {
			return nil
		}
		return copyFile(blobPath(d), dst)
	}
	link := func(path, d string) error {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return writeFileAtomic(path, []byte(d))
	}
	var stored []string
	for _, desc := range idx.Manifests {
		name := desc.Annotations[annotationName]
		if name == "" {
			return nil, fmt.Errorf("%s: index entry %s has no %s annotation", archive, desc.Digest, annotationName)
		}
		ref, err := parseRef(name)
		if err != nil {
			return nil, err
		}
		data, err := os.ReadFile(blobPath(desc.Digest))
		if err != nil {
			return nil, fmt.Errorf("%s: manifest %s missing: %w", archive, desc.Digest, err)
		}
		var m Manifest
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: manifest %s: %w", archive, desc.Digest, err)
		}
		repo := filepath.Join(v2, "repositories", filepath.FromSlash(ref.Repo))
		for _, d := range append([]Descriptor{m.Config}, m.Layers...) {
			if err := putBlob(d.Digest); err != nil {
				return nil, err
			}
			if err := link(filepath.Join(repo, "_layers", "sha256", strings.TrimPrefix(d.Digest, "sha256:"), "link"), d.Digest); err != nil {
				return nil, err
			}
		}
		if err := putBlob(desc.Digest); err != nil {
			return nil, err
		}
		hex := strings.TrimPrefix(desc.Digest, "sha256:")
		if err := link(filepath.Join(repo, "_manifests", "revisions", "sha256", hex, "link"), desc.Digest); err != nil {
			return nil, err
		}
		if ref.Tag != "" {
			tag := filepath.Join(repo, "_manifests", "tags", ref.Tag)
			if err := link(filepath.Join(tag, "current", "link"), desc.Digest); err != nil {
				return nil, err
			}
			if err := link(filepath.Join(tag, "index", "sha256", hex, "link"), desc.Digest); err != nil {
				return nil, err
			}
		}
		stored = append(stored, ref.Repo+"@"+desc.Digest)
	}
	return stored, nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return writeFileAtomic(dst, data)
}

func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
