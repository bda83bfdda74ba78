package ctx

import (
	"context"
	sctx "context"
)

type Worker struct {
	ctx context.Context // want: CTX004
	id  int
}

type Job struct {
	sctx.Context // want: CTX004
	name         string
}

type Pair struct {
	parent, child context.Context // want: CTX004
}

func useStructs() {
	_ = Worker{id: 1}.ctx
	_ = Job{name: "x"}.name
	_ = Pair{}.child
}

// Near misses: a cancel function, a function returning a context, a local type named Context.

type Context struct{ deadline int }

type Holder struct {
	cancel context.CancelFunc
	mk     func() context.Context
	local  Context
}

func useHolder(h Holder) { _, _, _ = h.cancel, h.mk, h.local }
