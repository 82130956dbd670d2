// Command tlogcheck is the independent check of the trustrules contact log: it verifies checkpoints, inclusion
// proofs and consistency proofs with Go's golang.org/x/mod/sumdb/note and .../tlog (Debian's golang-golang-x-mod-dev),
// sharing no code with the TypeScript implementation it checks.
//
// Build: GOPATH=/usr/share/gocode GO111MODULE=off go build -o tlogcheck ./test/go/tlogcheck
//
// Input, one JSON object on stdin (every field optional except that something must be given to check):
//
//	{
//	  "key": "<verifier key>",             // the log's note verifier key (or fetched from "server")
//	  "origin": "<origin>",                // when given, every checkpoint must name it
//	  "server": "http://host:port",        // a running server: GET /v1/log/key, /v1/log/checkpoint, /v1/log/consistency
//	  "token": "<bearer token>",           // with "server": also GET /v1/log/inclusion for every receipt
//	  "checkpoints": ["<signed note>", …], // checked with note.Open; their roots anchor the proofs below
//	  "leaves": ["<base64 leaf hash>", …], // leaf hashes from index 0: Go builds its own tree (tlog.StoredHashes)
//	                                       // and requires every checkpoint root and every proof to equal its own
//	  "inclusion": [{"tag", "index", "size", "leaf_hash", "proof": [...]}],   // tlog.CheckRecord
//	  "consistency": [{"tag", "from", "to", "proof": [...]}],                // tlog.CheckTree
//	  "receipts": [{"tag", "checkpoint", "index", "leaf_hash", "inclusion_proof": [...]}],
//	  "notes": ["<any text>", …]           // opened with note.Open: "opened" says what Go made of each
//	}
//
// With "server", every given checkpoint and receipt checkpoint is also proven consistent with the server's current
// checkpoint (so a client can keep the checkpoints it saw and check the log never rewrote history, across restarts).
//
// Output, one JSON object on stdout: {"ok", "checked": {...}, "current", "current_size", "errors": [...]}; each error
// starts with the item's tag when it has one. Exit status 0 when ok, 1 when any check failed, 2 on bad input.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type inclusion struct {
	Tag      string   `json:"tag"`
	Index    int64    `json:"index"`
	Size     int64    `json:"size"`
	LeafHash string   `json:"leaf_hash"`
	Proof    []string `json:"proof"`
}

type consistency struct {
	Tag   string   `json:"tag"`
	From  int64    `json:"from"`
	To    int64    `json:"to"`
	Proof []string `json:"proof"`
}

type receipt struct {
	Tag            string   `json:"tag"`
	Checkpoint     string   `json:"checkpoint"`
	Index          int64    `json:"index"`
	LeafHash       string   `json:"leaf_hash"`
	InclusionProof []string `json:"inclusion_proof"`
}

type input struct {
	Key         string        `json:"key"`
	Origin      string        `json:"origin"`
	Server      string        `json:"server"`
	Token       string        `json:"token"`
	Checkpoints []string      `json:"checkpoints"`
	Leaves      []string      `json:"leaves"`
	Inclusion   []inclusion   `json:"inclusion"`
	Consistency []consistency `json:"consistency"`
	Receipts    []receipt     `json:"receipts"`
	Notes       []string      `json:"notes"`
}

type checked struct {
	Checkpoints int `json:"checkpoints"`
	Roots       int `json:"roots"`
	Inclusion   int `json:"inclusion"`
	Consistency int `json:"consistency"`
	Receipts    int `json:"receipts"`
	Server      int `json:"server_proofs"`
}

type output struct {
	OK          bool     `json:"ok"`
	Checked     checked  `json:"checked"`
	Current     string   `json:"current,omitempty"`
	CurrentSize int64    `json:"current_size"`
	Opened      []string `json:"opened,omitempty"`
	Errors      []string `json:"errors"`
}

type tree struct {
	origin string
	size   int64
	root   tlog.Hash
}

var out = output{Errors: []string{}}

func fail(tag, format string, args ...interface{}) {
	msg := fmt.Sprintf(format, args...)
	if tag != "" {
		msg = tag + ": " + msg
	}
	out.Errors = append(out.Errors, msg)
}

func fatal(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlogcheck: "+format+"\n", args...)
	os.Exit(2)
}

// parseCheckpoint opens a signed note with the log's key and reads the C2SP tlog-checkpoint body.
func parseCheckpoint(msg string, verifiers note.Verifiers, origin string) (tree, error) {
	n, err := note.Open([]byte(msg), verifiers)
	if err != nil {
		return tree{}, fmt.Errorf("note.Open: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) < 3 {
		return tree{}, fmt.Errorf("checkpoint has %d lines, want at least 3", len(lines))
	}
	if origin != "" && lines[0] != origin {
		return tree{}, fmt.Errorf("checkpoint origin %q, want %q", lines[0], origin)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return tree{}, fmt.Errorf("bad checkpoint size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		return tree{}, fmt.Errorf("bad checkpoint root %q", lines[2])
	}
	return tree{origin: lines[0], size: size, root: root}, nil
}

func hashes(tag string, b64 []string) ([]tlog.Hash, bool) {
	hs := make([]tlog.Hash, len(b64))
	for i, s := range b64 {
		h, err := tlog.ParseHash(s)
		if err != nil {
			fail(tag, "proof element %d is not a hash: %q", i, s)
			return nil, false
		}
		hs[i] = h
	}
	return hs, true
}

// memory is Go's own tree over the given leaves, in tlog's stored-hash layout.
type memory []tlog.Hash

func (m memory) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	hs := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m)) {
			return nil, fmt.Errorf("no stored hash %d", x)
		}
		hs[i] = m[x]
	}
	return hs, nil
}

func equal(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var client = &http.Client{Timeout: 30 * time.Second}

func get(in *input, path string, auth bool) ([]byte, error) {
	req, err := http.NewRequest("GET", strings.TrimSuffix(in.Server, "/")+path, nil)
	if err != nil {
		return nil, err
	}
	if auth && in.Token != "" {
		req.Header.Set("Authorization", "Bearer "+in.Token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, bytes.TrimSpace(body))
	}
	return body, nil
}

// bench times Go's own tlog over an in-memory hash store of n records: the peer for the TypeScript proof benchmark.
func bench(n int64, proofs int) {
	var mem memory
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(i))
		stored, err := tlog.StoredHashes(i, b[:], mem)
		if err != nil {
			fatal("StoredHashes: %v", err)
		}
		mem = append(mem, stored...)
	}
	appendNs := time.Since(t0).Nanoseconds()
	th, err := tlog.TreeHash(n, mem)
	if err != nil {
		fatal("TreeHash: %v", err)
	}
	r := rand.New(rand.NewSource(9162))
	inc := make([]float64, proofs)
	con := make([]float64, proofs)
	for k := 0; k < proofs; k++ {
		m := r.Int63n(n)
		t := time.Now()
		p, err := tlog.ProveRecord(n, m, mem)
		inc[k] = float64(time.Since(t).Nanoseconds()) / 1000
		if err != nil {
			fatal("ProveRecord: %v", err)
		}
		first := 1 + r.Int63n(n)
		t = time.Now()
		c, err := tlog.ProveTree(n, first, mem)
		con[k] = float64(time.Since(t).Nanoseconds()) / 1000
		if err != nil {
			fatal("ProveTree: %v", err)
		}
		if k%10 == 0 {
			var b [8]byte
			binary.BigEndian.PutUint64(b[:], uint64(m))
			fh, _ := tlog.TreeHash(first, mem)
			if tlog.CheckRecord(p, n, th, m, tlog.RecordHash(b[:])) != nil || tlog.CheckTree(c, n, th, first, fh) != nil {
				fatal("a proof did not verify")
			}
		}
	}
	median := func(xs []float64) float64 {
		s := append([]float64(nil), xs...)
		sort.Float64s(s)
		return s[len(s)/2]
	}
	json.NewEncoder(os.Stdout).Encode(map[string]interface{}{
		"n": n, "proofs": proofs, "appendMs": float64(appendNs) / 1e6,
		"inclusionMedianUs": median(inc), "consistencyMedianUs": median(con),
	})
}

func main() {
	benchN := flag.Int64("bench", 0, "time Go's tlog over this many records instead of checking (the benchmark peer)")
	benchProofs := flag.Int("proofs", 2000, "with -bench: how many proofs of each kind")
	flag.Parse()
	if *benchN > 0 {
		bench(*benchN, *benchProofs)
		return
	}
	var in input
	dec := json.NewDecoder(os.Stdin)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		fatal("reading the input JSON: %v", err)
	}

	if in.Server != "" {
		body, err := get(&in, "/v1/log/key", false)
		if err != nil {
			fatal("fetching the verifier key: %v", err)
		}
		served := strings.TrimSpace(string(body))
		if in.Key != "" && in.Key != served {
			fail("key", "the server's verifier key %q is not the one given %q", served, in.Key)
		}
		if in.Key == "" {
			in.Key = served
		}
	}
	if in.Key == "" {
		fatal("no verifier key: give \"key\" or \"server\"")
	}
	v, err := note.NewVerifier(in.Key)
	if err != nil {
		fatal("note.NewVerifier(%q): %v", in.Key, err)
	}
	verifiers := note.VerifierList(v)

	// Arbitrary notes: what note.Open makes of each (the text it verified, or "error: ..."), to compare parsers.
	for _, msg := range in.Notes {
		n, err := note.Open([]byte(msg), verifiers)
		if err != nil {
			out.Opened = append(out.Opened, "error: "+err.Error())
		} else {
			out.Opened = append(out.Opened, n.Text)
		}
	}

	// Go's own tree over the leaves, when given: roots and proofs must equal Go's, not merely verify.
	var mem memory
	for i, s := range in.Leaves {
		h, err := tlog.ParseHash(s)
		if err != nil {
			fatal("leaf %d is not a hash: %q", i, s)
		}
		stored, err := tlog.StoredHashesForRecordHash(int64(i), h, mem)
		if err != nil {
			fatal("tlog.StoredHashesForRecordHash(%d): %v", i, err)
		}
		mem = append(mem, stored...)
	}
	nLeaves := int64(len(in.Leaves))

	// Checkpoints, by size (a second checkpoint of a size already seen must have the same root).
	roots := map[int64]tlog.Hash{}
	addTree := func(tag string, t tree) {
		if r, ok := roots[t.size]; ok && r != t.root {
			fail(tag, "two checkpoints of size %d with different roots: the log forked", t.size)
		}
		roots[t.size] = t.root
		if t.size > 0 && t.size <= nLeaves {
			th, err := tlog.TreeHash(t.size, mem)
			if err != nil {
				fail(tag, "tlog.TreeHash(%d): %v", t.size, err)
			} else if th != t.root {
				fail(tag, "checkpoint of size %d has root %v, Go computes %v from the leaves", t.size, t.root, th)
			}
			out.Checked.Roots++
		} else if t.size == 0 && t.root != tlog.Hash(sha256.Sum256(nil)) {
			fail(tag, "the empty tree's root must be SHA-256 of nothing")
		}
	}
	var seen []tree
	for i, msg := range in.Checkpoints {
		tag := fmt.Sprintf("checkpoint %d", i)
		t, err := parseCheckpoint(msg, verifiers, in.Origin)
		if err != nil {
			fail(tag, "%v", err)
			continue
		}
		out.Checked.Checkpoints++
		addTree(tag, t)
		seen = append(seen, t)
	}
	rootOf := func(tag string, size int64) (tlog.Hash, bool) {
		r, ok := roots[size]
		if !ok {
			fail(tag, "no checkpoint of size %d to check against", size)
		}
		return r, ok
	}

	checkRecord := func(tag string, index, size int64, leaf string, proof []string, root tlog.Hash) bool {
		h, err := tlog.ParseHash(leaf)
		if err != nil {
			fail(tag, "leaf hash %q is not a hash", leaf)
			return false
		}
		p, ok := hashes(tag, proof)
		if !ok {
			return false
		}
		if err := tlog.CheckRecord(p, size, root, index, h); err != nil {
			fail(tag, "tlog.CheckRecord(index %d, size %d): %v", index, size, err)
			return false
		}
		if size <= nLeaves {
			mine, err := tlog.ProveRecord(size, index, mem)
			if err != nil || !equal(mine, p) {
				fail(tag, "inclusion proof of %d in %d differs from tlog.ProveRecord (%v)", index, size, err)
				return false
			}
		}
		return true
	}
	checkTree := func(tag string, from, to int64, proof []string, fromRoot, toRoot tlog.Hash) bool {
		p, ok := hashes(tag, proof)
		if !ok {
			return false
		}
		if err := tlog.CheckTree(p, to, toRoot, from, fromRoot); err != nil {
			fail(tag, "tlog.CheckTree(from %d, to %d): %v", from, to, err)
			return false
		}
		if to <= nLeaves {
			mine, err := tlog.ProveTree(to, from, mem)
			if err != nil || !equal(mine, p) {
				fail(tag, "consistency proof %d to %d differs from tlog.ProveTree (%v)", from, to, err)
				return false
			}
		}
		return true
	}

	for i, x := range in.Inclusion {
		tag := x.Tag
		if tag == "" {
			tag = fmt.Sprintf("inclusion %d", i)
		}
		if root, ok := rootOf(tag, x.Size); ok && checkRecord(tag, x.Index, x.Size, x.LeafHash, x.Proof, root) {
			out.Checked.Inclusion++
		}
	}
	for i, x := range in.Consistency {
		tag := x.Tag
		if tag == "" {
			tag = fmt.Sprintf("consistency %d", i)
		}
		fr, ok1 := rootOf(tag, x.From)
		tr, ok2 := rootOf(tag, x.To)
		if ok1 && ok2 && checkTree(tag, x.From, x.To, x.Proof, fr, tr) {
			out.Checked.Consistency++
		}
	}
	for i, x := range in.Receipts {
		tag := x.Tag
		if tag == "" {
			tag = fmt.Sprintf("receipt %d", i)
		}
		t, err := parseCheckpoint(x.Checkpoint, verifiers, in.Origin)
		if err != nil {
			fail(tag, "%v", err)
			continue
		}
		addTree(tag, t)
		seen = append(seen, t)
		if checkRecord(tag, x.Index, t.size, x.LeafHash, x.InclusionProof, t.root) {
			out.Checked.Receipts++
		}
	}

	if in.Server != "" {
		body, err := get(&in, "/v1/log/checkpoint", false)
		if err != nil {
			fatal("fetching the checkpoint: %v", err)
		}
		cur, err := parseCheckpoint(string(body), verifiers, in.Origin)
		if err != nil {
			fail("server checkpoint", "%v", err)
		} else {
			out.Current = string(body)
			out.CurrentSize = cur.size
			out.Checked.Checkpoints++
			addTree("server checkpoint", cur)
			for _, t := range seen {
				tag := fmt.Sprintf("server consistency %d to %d", t.size, cur.size)
				if t.size > cur.size {
					fail(tag, "the server's tree shrank from %d to %d records", t.size, cur.size)
					continue
				}
				if t.size == 0 {
					continue
				}
				if t.size == cur.size {
					if t.root != cur.root {
						fail(tag, "same size, different roots: the log forked")
					}
					continue
				}
				body, err := get(&in, fmt.Sprintf("/v1/log/consistency?from=%d&to=%d", t.size, cur.size), false)
				if err != nil {
					fail(tag, "%v", err)
					continue
				}
				var r struct {
					Proof []string `json:"proof"`
				}
				if err := json.Unmarshal(body, &r); err != nil {
					fail(tag, "bad JSON: %v", err)
					continue
				}
				if checkTree(tag, t.size, cur.size, r.Proof, t.root, cur.root) {
					out.Checked.Server++
				}
			}
			if in.Token != "" {
				for _, x := range in.Receipts {
					tag := fmt.Sprintf("server inclusion %d in %d", x.Index, cur.size)
					q := url.Values{"index": {strconv.FormatInt(x.Index, 10)}, "size": {strconv.FormatInt(cur.size, 10)}}
					body, err := get(&in, "/v1/log/inclusion?"+q.Encode(), true)
					if err != nil {
						fail(tag, "%v", err)
						continue
					}
					var r struct {
						LeafHash string   `json:"leaf_hash"`
						Proof    []string `json:"proof"`
					}
					if err := json.Unmarshal(body, &r); err != nil {
						fail(tag, "bad JSON: %v", err)
						continue
					}
					if r.LeafHash != x.LeafHash {
						fail(tag, "the server's leaf hash %s is not the receipt's %s", r.LeafHash, x.LeafHash)
						continue
					}
					if checkRecord(tag, x.Index, cur.size, r.LeafHash, r.Proof, cur.root) {
						out.Checked.Server++
					}
				}
			}
		}
	}

	out.OK = len(out.Errors) == 0
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fatal("writing the output: %v", err)
	}
	if !out.OK {
		os.Exit(1)
	}
}
