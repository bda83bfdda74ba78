package tim

import (
	"os"
	rt "runtime"
	"runtime"
)

type Handle struct{ fd int }

func openHandle() *Handle {
	h := &Handle{fd: 3}
	runtime.SetFinalizer(&h, func(**Handle) {}) // want: TIM001 TIM003
	return h
}

func valueObject() {
	var v Handle
	runtime.SetFinalizer(&v, func(*Handle) {}) // want: TIM001 TIM003
}

func aliased(param Handle) {
	rt.SetFinalizer(&param, func(h *Handle) { _ = h.fd }) // want: TIM001 TIM003
}

func (h *Handle) method() {
	local := Handle{fd: h.fd}
	if local.fd > 0 {
		runtime.SetFinalizer(&local, nil) // want: TIM001
	}
}

// Near misses: a pointer made by new or a composite literal, a package-level variable, a field.

var global Handle

func fromNew() *Handle {
	h := new(Handle)
	runtime.SetFinalizer(h, func(*Handle) {}) // want: TIM003
	return h
}

func fromLiteral() *os.File {
	f := &os.File{}
	runtime.SetFinalizer(f, func(*os.File) {}) // want: TIM003
	return f
}

func packageLevel() {
	runtime.SetFinalizer(&global, func(*Handle) {}) // want: TIM003
}

type holder struct{ h Handle }

func fieldAddress(x *holder) {
	runtime.SetFinalizer(&x.h, nil)
}

func compositeAddress() {
	runtime.SetFinalizer(&Handle{fd: 1}, func(*Handle) {}) // want: TIM003
}
