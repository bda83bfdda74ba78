package twins

// Compiled for linux/amd64 (the file name says so).
func (l *listener) closeLinux() {
	scratchPool.Put(l.scratch[:0]) // want: POOL001
}
