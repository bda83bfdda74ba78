package tim

import "runtime"

type Conn struct {
	fd   int
	name string
}

func closeFD(int) {}

func (c *Conn) Close() { closeFD(c.fd) }

func dialCaptures() *Conn {
	c := &Conn{fd: 3}
	runtime.SetFinalizer(c, func(*Conn) { closeFD(c.fd) }) // want: TIM002 TIM003
	return c
}

func dialMethodValue() *Conn {
	c := &Conn{fd: 4}
	runtime.SetFinalizer(c, func(x *Conn) { x.Close(); _ = c }) // want: TIM002 TIM003
	return c
}

func cleanupCaptures() *Conn {
	c := &Conn{fd: 5}
	runtime.AddCleanup(c, func(fd int) { closeFD(fd); _ = c.name }, c.fd) // want: TIM002
	return c
}

func cleanupArgIsObject() *Conn {
	c := &Conn{fd: 6}
	runtime.AddCleanup(c, func(x *Conn) { closeFD(x.fd) }, c) // want: TIM002
	return c
}

// Near misses: the finalizer uses its own parameter; the cleanup gets only the data it needs;
// a finalizer that captures something else.

func usesParameter() *Conn {
	c := &Conn{fd: 7}
	runtime.SetFinalizer(c, func(c *Conn) { closeFD(c.fd) }) // want: TIM003
	return c
}

func cleanupWithData() *Conn {
	c := &Conn{fd: 8}
	runtime.AddCleanup(c, closeFD, c.fd)
	return c
}

func capturesOther(logf func(string)) *Conn {
	c := &Conn{fd: 9}
	name := "conn"
	runtime.SetFinalizer(c, func(x *Conn) { logf(name); closeFD(x.fd) }) // want: TIM003
	return c
}
