// TIM005: a defer in a loop body (a heap-allocated defer record per iteration, and every file held open
// until the function returns), against the same work in a function literal per iteration.
package tim005

import (
	"os"
	"path/filepath"
	"testing"
)

func sizesBad(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
	}
}

func sizesGood(paths []string) {
	for _, p := range paths {
		func() {
			f, err := os.Open(p)
			if err != nil {
				return
			}
			defer f.Close()
		}()
	}
}

// Each op opens the same 50 files (opening them costs the same on both sides).
func bench(b *testing.B, sizes func([]string)) {
	dir := b.TempDir()
	paths := make([]string, 50)
	for i := range paths {
		paths[i] = filepath.Join(dir, "f"+string(rune('a'+i%26))+string(rune('a'+i/26)))
		if err := os.WriteFile(paths[i], []byte("x"), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		sizes(paths)
	}
}

func BenchmarkTIM005Bad(b *testing.B)  { bench(b, sizesBad) }
func BenchmarkTIM005Good(b *testing.B) { bench(b, sizesGood) }
