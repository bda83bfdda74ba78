package ctx

import "context"

func withAnyKey(ctx context.Context) context.Context {
	return context.WithValue(ctx, any("k"), 1) // want: CTX001
}

func withInterfaceKey(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, interface{}(name), 1) // want: CTX001
}

func withAnyVar(ctx context.Context) context.Context {
	var key any = "request-id"
	return context.WithValue(ctx, key, 1) // want: CTX001
}

func withIntVar(ctx context.Context) context.Context {
	key := 7
	return context.WithValue(ctx, key, "seven") // want: CTX001
}

// Near misses: an unexported key type behind any; an any variable that is reassigned; a parameter of
// type any (its dynamic type is unknown).
type anyKey struct{}

func withAnyStructKey(ctx context.Context) context.Context {
	return context.WithValue(ctx, any(anyKey{}), 1)
}

func withReassignedAny(ctx context.Context, typed bool) context.Context {
	var key any = "plain"
	if typed {
		key = anyKey{}
	}
	return context.WithValue(ctx, key, 1)
}

func withAnyParam(ctx context.Context, key any) context.Context {
	return context.WithValue(ctx, key, 1)
}
