package tim

import "runtime"

type localHandle struct{ fd int }

func closeLocalHandle(h *localHandle) {}

// The finalizer reaches SetFinalizer through a local variable.
func openLocalHandle(fd int) *localHandle {
	h := &localHandle{fd: fd}
	done := func(*localHandle) { closeLocalHandle(h) }
	runtime.SetFinalizer(h, done) // want: TIM002 TIM003
	return h
}

// Near misses: the local literal uses its parameter; the variable is reassigned before the call.
func openLocalHandleParam(fd int) *localHandle {
	h := &localHandle{fd: fd}
	done := func(x *localHandle) { closeLocalHandle(x) }
	runtime.SetFinalizer(h, done) // want: TIM003
	return h
}

func openLocalHandleSwapped(fd int, quiet bool) *localHandle {
	h := &localHandle{fd: fd}
	done := func(*localHandle) { closeLocalHandle(h) }
	if quiet {
		done = func(x *localHandle) { closeLocalHandle(x) }
	}
	runtime.SetFinalizer(h, done) // want: TIM003
	return h
}
