//go:build tools

// Package tools pins the SeaweedFS server (its `weed` command) that the tests use as a real
// S3-compatible object store. Built by scripts/ensure-seaweedfs.cjs; never part of the product.
package tools

import _ "github.com/seaweedfs/seaweedfs/weed"
