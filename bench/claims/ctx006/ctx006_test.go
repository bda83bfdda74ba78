// CTX006: three context.WithValue calls building one chain, against one struct under one key.
package ctx006

import (
	"context"
	"testing"
)

type (
	userKey  struct{}
	traceKey struct{}
	roleKey  struct{}
)

func annotateBad(ctx context.Context, user, trace, role string) context.Context {
	ctx = context.WithValue(ctx, userKey{}, user)
	ctx = context.WithValue(ctx, traceKey{}, trace)
	return context.WithValue(ctx, roleKey{}, role)
}

type reqInfo struct{ user, trace, role string }

type infoKey struct{}

func annotateGood(ctx context.Context, user, trace, role string) context.Context {
	return context.WithValue(ctx, infoKey{}, &reqInfo{user, trace, role})
}

var sink context.Context

func bench(b *testing.B, annotate func(context.Context, string, string, string) context.Context) {
	ctx := context.Background()
	for range b.N {
		sink = annotate(ctx, "alice", "4bf92f3577b34da6a3ce929d0e0e4736", "admin")
	}
}

func BenchmarkCTX006Bad(b *testing.B)  { bench(b, annotateBad) }
func BenchmarkCTX006Good(b *testing.B) { bench(b, annotateGood) }
