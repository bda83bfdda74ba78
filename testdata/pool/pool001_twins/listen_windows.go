package twins

// Not compiled for linux: the same Put here is not analysed.
func (l *listener) closeWindows() {
	scratchPool.Put(l.scratch)
}
