//go:build ignore

package twins

// Never compiled.
func (l *listener) closeIgnored() {
	scratchPool.Put(l.scratch)
}
