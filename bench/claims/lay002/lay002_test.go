// LAY002: a 256-byte struct passed by value. The claim is a copy per call (time, no allocation): the
// metric is ns/op, for 1000 calls per op. use is marked noinline: LAY002 reports the parameter of any
// function, and the copy it describes happens at a call that is not inlined (an inlined call of this
// tiny example copies nothing).
package lay002

import "testing"

type Config struct{ names [16]string }

//go:noinline
func useBad(c Config) int { return len(c.names) }

//go:noinline
func useGood(c *Config) int { return len(c.names) }

var sink int

func BenchmarkLAY002Bad(b *testing.B) {
	var c Config
	for i := range c.names {
		c.names[i] = "name"
	}
	b.ResetTimer()
	for range b.N {
		for range 1000 {
			sink += useBad(c)
		}
	}
}

func BenchmarkLAY002Good(b *testing.B) {
	var c Config
	for i := range c.names {
		c.names[i] = "name"
	}
	b.ResetTimer()
	for range b.N {
		for range 1000 {
			sink += useGood(&c)
		}
	}
}

// Variant: the example as written, inlinable. The inlined call copies nothing.

func useInlinedBad(c Config) int { return len(c.names) }

func useInlinedGood(c *Config) int { return len(c.names) }

func BenchmarkLAY002VariantInlinedBad(b *testing.B) {
	var c Config
	for range b.N {
		for range 1000 {
			sink += useInlinedBad(c)
		}
	}
}

func BenchmarkLAY002VariantInlinedGood(b *testing.B) {
	var c Config
	for range b.N {
		for range 1000 {
			sink += useInlinedGood(&c)
		}
	}
}
