package main

import (
	"fmt"
	"regexp"
	"strings"
)

// Ref is an image reference split the way a registry sees it.
type Ref struct {
	Host, Repo, Tag, Digest string
}

var (
	repoPart = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`)
	tagRe    = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	digestRe = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	hostRe   = regexp.MustCompile(`^[A-Za-z0-9.-]+(?::[0-9]+)?$`)
)

// parseRef splits a full reference (host/repo:tag or host/repo@sha256:...). Docker Hub names are normalised the
// way containerd does (docker.io, library/ for single-component names). A reference without tag and digest is an
// error: the box never guesses `latest`.
func parseRef(s string) (Ref, error) {
	var r Ref
	rest := s
	if i := strings.Index(rest, "@"); i >= 0 {
		rest, r.Digest = rest[:i], rest[i+1:]
		if !digestRe.MatchString(r.Digest) {
			return r, fmt.Errorf("image reference %q: digest %q is not sha256:<64 hex>", s, r.Digest)
		}
	}
	if i := strings.LastIndex(rest, ":"); i > strings.LastIndex(rest, "/") {
		rest, r.Tag = rest[:i], rest[i+1:]
		if !tagRe.MatchString(r.Tag) {
			return r, fmt.Errorf("image reference %q: invalid tag %q", s, r.Tag)
		}
	}
	if r.Tag == "" && r.Digest == "" {
		return r, fmt.Errorf("image reference %q has neither tag nor digest: pin one", s)
	}
	parts := strings.Split(rest, "/")
	if len(parts) > 1 && (strings.ContainsAny(parts[0], ".:") || parts[0] == "localhost") {
		r.Host, parts = parts[0], parts[1:]
		if !hostRe.MatchString(r.Host) {
			return r, fmt.Errorf("image reference %q: invalid registry host %q", s, r.Host)
		}
	} else {
		r.Host = "docker.io"
	}
	if r.Host == "docker.io" && len(parts) == 1 {
		parts = append([]string{"library"}, parts...)
	}
	for _, p := range parts {
		if !repoPart.MatchString(p) {
			return r, fmt.Errorf("image reference %q: invalid repository component %q", s, p)
		}
	}
	r.Repo = strings.Join(parts, "/")
	return r, nil
}
