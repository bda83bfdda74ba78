package ctx

import (
	"context"
	stdctx "context"
)

const userKeyName = "user"

type ctxKey struct{}

type namedKey string

const typedKey namedKey = "typed"

func withUser(ctx context.Context, id int) context.Context {
	return context.WithValue(ctx, "user", id) // want: CTX001
}

func withConstKey(ctx stdctx.Context, id int) stdctx.Context {
	return stdctx.WithValue(ctx, userKeyName, id) // want: CTX001
}

func withVarKey(ctx context.Context, key string, v any) context.Context {
	return context.WithValue(ctx, key, v) // want: CTX001
}

func withIntKey(ctx context.Context) context.Context {
	return context.WithValue(ctx, 42, "answer") // want: CTX001
}

type server struct{ keyName string }

func (s *server) with(ctx context.Context) context.Context {
	k := s.keyName + "-id"
	return context.WithValue(ctx, k, 1) // want: CTX001
}

// Near misses: an unexported struct key type, a named string type, a pointer key, a key of unknown type.

func withStructKey(ctx context.Context, id int) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

func withNamedKey(ctx context.Context, id int) context.Context {
	return context.WithValue(ctx, typedKey, id)
}

var pointerKey = new(int)

func withPointerKey(ctx context.Context, id int) context.Context {
	return context.WithValue(ctx, pointerKey, id)
}

func withUnknownKey(ctx context.Context, key any, id int) context.Context {
	return context.WithValue(ctx, key, id)
}

func withCallKey(ctx context.Context, id int) context.Context {
	return context.WithValue(ctx, keyFor("x"), id)
}

func keyFor(s string) namedKey { return namedKey(s) }
