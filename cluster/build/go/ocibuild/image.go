package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const (
	mediaIndex    = "application/vnd.oci.image.index.v1+json"
	mediaManifest = "application/vnd.oci.image.manifest.v1+json"
	mediaConfig   = "application/vnd.oci.image.config.v1+json"
	mediaLayerGz  = "application/vnd.oci.image.layer.v1.tar+gzip"
	// annotationName is the annotation `ctr images import` names the image after (full reference).
	annotationName = "io.containerd.image.name"
	// annotationRef is the OCI annotation of the tag, for tools that read only the image layout spec.
	annotationRef = "org.opencontainers.image.ref.name"
)

// Descriptor is an OCI content descriptor.
type Descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Platform    *Platform         `json:"platform,omitempty"`
}

// Platform of an image: the box builds for the machine it runs on (linux/amd64).
type Platform struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
}

// Manifest is an OCI image manifest; mediaType is always set, since the registry identifies manifests by it.
type Manifest struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	Config        Descriptor   `json:"config"`
	Layers        []Descriptor `json:"layers"`
}

// Index is an OCI image index (index.json of an image layout).
type Index struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	Manifests     []Descriptor `json:"manifests"`
}

// RunConfig is the part of an OCI image config that says how a container starts.
type RunConfig struct {
	User         string              `json:"User,omitempty"`
	ExposedPorts map[string]struct{} `json:"ExposedPorts,omitempty"`
	Env          []string            `json:"Env,omitempty"`
	Entrypoint   []string            `json:"Entrypoint,omitempty"`
	Cmd          []string            `json:"Cmd,omitempty"`
	WorkingDir   string              `json:"WorkingDir,omitempty"`
	Labels       map[string]string   `json:"Labels,omitempty"`
}

// ImageConfig is an OCI image config with a fixed creation time.
type ImageConfig struct {
	Created      string    `json:"created"`
	Architecture string    `json:"architecture"`
	OS           string    `json:"os"`
	Config       RunConfig `json:"config"`
	RootFS       struct {
		Type    string   `json:"type"`
		DiffIDs []string `json:"diff_ids"`
	} `json:"rootfs"`
	History []map[string]string `json:"history"`
}

// Spec says what to build: the references to name the image after, its run config and its layers' root dirs.
type Spec struct {
	Refs    []string
	Config  RunConfig
	Layers  []string
	Creator string
}

type blob struct {
	digest string
	data   []byte // small blobs (JSON) in memory
	path   string // layers on disk
	size   int64
}

// buildImage writes the OCI archive for spec to out (atomically: a temporary file renamed at the end) and returns
// the manifest digest.
func buildImage(spec Spec, out string) (string, error) {
	if len(spec.Refs) == 0 {
		return "", fmt.Errorf("no reference given: name the image with at least one -ref")
	}
	if len(spec.Layers) == 0 {
		return "", fmt.Errorf("no layer given: pass at least one -rootfs directory")
	}
	for _, r := range spec.Refs {
		if _, err := parseRef(r); err != nil {
			return "", err
		}
	}
	tmpDir, err := os.MkdirTemp(filepath.Dir(out), ".ocibuild-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmpDir)

	cfg := ImageConfig{Created: epoch.Format("2006-01-02T15:04:05Z"), Architecture: "amd64", OS: "linux", Config: spec.Config}
	cfg.RootFS.Type = "layers"
	var blobs []blob
	var layers []Descriptor
	for i, root := range spec.Layers {
		b, diffID, err := layerBlob(root, filepath.Join(tmpDir, fmt.Sprintf("layer%d", i)))
		if err != nil {
			return "", fmt.Errorf("layer %s: %w", root, err)
		}
		blobs = append(blobs, b)
		layers = append(layers, Descriptor{MediaType: mediaLayerGz, Digest: b.digest, Size: b.size})
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, diffID)
		cfg.History = append(cfg.History, map[string]string{"created": cfg.Created, "created_by": spec.Creator})
	}
	cfgBlob := jsonBlob(cfg)
	manifest := Manifest{SchemaVersion: 2, MediaType: mediaManifest, Layers: layers,
		Config: Descriptor{MediaType: mediaConfig, Digest: cfgBlob.digest, Size: cfgBlob.size}}
	manBlob := jsonBlob(manifest)
	blobs = append(blobs, cfgBlob, manBlob)

	refs := append([]string(nil), spec.Refs...)
	sort.Strings(refs)
	var entries []Descriptor
	for _, r := range refs {
		ref, _ := parseRef(r)
		ann := map[string]string{annotationName: r}
		if ref.Tag != "" {
			ann[annotationRef] = ref.Tag
		}
		entries = append(entries, Descriptor{MediaType: mediaManifest, Digest: manBlob.digest,
			Size: manBlob.size, Annotations: ann, Platform: &Platform{Architecture: "amd64", OS: "linux"}})
	}
	indexJSON, _ := json.Marshal(Index{SchemaVersion: 2, MediaType: mediaIndex, Manifests: entries})

	tmpOut := filepath.Join(tmpDir, "archive.tar")
	if err := writeArchive(tmpOut, blobs, indexJSON); err != nil {
		return "", err
	}
	return manBlob.digest, os.Rename(tmpOut, out)
}

func jsonBlob(v any) blob {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own types are marshalled
	}
	sum := sha256.Sum256(data)
	return blob{digest: "sha256:" + hex.EncodeToString(sum[:]), data: data, size: int64(len(data))}
}

// layerBlob writes the gzipped layer of root to path and returns its blob and diff ID (digest of the plain tar).
func layerBlob(root, path string) (blob, string, error) {
	f, err := os.Create(path)
	if err != nil {
		return blob{}, "", err
	}
	defer f.Close()
	gzHash, tarHash := sha256.New(), sha256.New()
	counter := &countWriter{w: io.MultiWriter(f, gzHash)}
	gz, _ := gzip.NewWriterLevel(counter, gzip.DefaultCompression) // no name, no mtime in the header: deterministic
	if err := writeLayer(io.MultiWriter(gz, tarHash), root); err != nil {
		return blob{}, "", err
	}
	if err := gz.Close(); err != nil {
		return blob{}, "", err
	}
	return blob{digest: "sha256:" + hex.EncodeToString(gzHash.Sum(nil)), path: path, size: counter.n},
		"sha256:" + hex.EncodeToString(tarHash.Sum(nil)), f.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeArchive writes an OCI image layout as one tar: oci-layout, index.json and the blobs, in lexical order.
func writeArchive(out string, blobs []blob, indexJSON []byte) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	sort.Slice(blobs, func(i, j int) bool { return blobs[i].digest < blobs[j].digest })
	dir := func(name string) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: 0o755, ModTime: epoch, Format: tar.FormatPAX})
	}
	file := func(name string, size int64, r io.Reader) error {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o644, ModTime: epoch, Format: tar.FormatPAX}); err != nil {
			return err
		}
		_, err := io.Copy(tw, r)
		return err
	}
	if err := dir("blobs/"); err != nil {
		return err
	}
	if err := dir("blobs/sha256/"); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, b := range blobs {
		if seen[b.digest] {
			continue
		}
		seen[b.digest] = true
		name := "blobs/sha256/" + strings.TrimPrefix(b.digest, "sha256:")
		if b.data != nil {
			err = file(name, b.size, strings.NewReader(string(b.data)))
		} else {
			var lf *os.File
			if lf, err = os.Open(b.path); err == nil {
				err = file(name, b.size, lf)
				lf.Close()
			}
		}
		if err != nil {
			return err
		}
	}
	if err := file("index.json", int64(len(indexJSON)), strings.NewReader(string(indexJSON))); err != nil {
		return err
	}
	layout := `{"imageLayoutVersion":"1.0.0"}`
	if err := file("oci-layout", int64(len(layout)), strings.NewReader(layout)); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return f.Close()
}
