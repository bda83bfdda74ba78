package ctx

import (
	"context"
	cx "context"
)

type (
	userKey  struct{}
	roleKey  struct{}
	tenantKey struct{}
)

func annotate(ctx context.Context, user, role, tenant string) context.Context {
	ctx = context.WithValue(ctx, userKey{}, user) // want: CTX006
	ctx = context.WithValue(ctx, roleKey{}, role)
	return context.WithValue(ctx, tenantKey{}, tenant)
}

func chainedVars(parent cx.Context) cx.Context {
	a := cx.WithValue(parent, userKey{}, 1) // want: CTX006
	b := cx.WithValue(a, roleKey{}, 2)
	c := cx.WithValue(b, tenantKey{}, 3)
	return c
}

func nested(ctx context.Context) context.Context {
	return context.WithValue(context.WithValue(context.WithValue(ctx, userKey{}, 1), roleKey{}, 2), tenantKey{}, 3) // want: CTX006
}

type mw struct{}

func (mw) wrap(ctx context.Context) context.Context {
	ctx = context.WithValue(ctx, userKey{}, "u") // want: CTX006
	ctx = context.WithValue(ctx, roleKey{}, "r")
	ctx = context.WithValue(ctx, tenantKey{}, "t")
	ctx = context.WithValue(ctx, traceKey{}, "x")
	return ctx
}

// Near misses: two calls only; three calls on three separate chains; calls split across functions.

func twoOnly(ctx context.Context) context.Context {
	ctx = context.WithValue(ctx, userKey{}, 1)
	return context.WithValue(ctx, roleKey{}, 2)
}

func separateChains(ctx context.Context) (context.Context, context.Context, context.Context) {
	a := context.WithValue(ctx, userKey{}, 1)
	b := context.WithValue(ctx, roleKey{}, 2)
	c := context.WithValue(ctx, tenantKey{}, 3)
	return a, b, c
}

func first(ctx context.Context) context.Context { return context.WithValue(ctx, userKey{}, 1) }

func second(ctx context.Context) context.Context {
	return context.WithValue(first(ctx), roleKey{}, 2)
}

func third(ctx context.Context) context.Context {
	return context.WithValue(second(ctx), tenantKey{}, 3)
}
