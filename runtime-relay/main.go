// runtime-relay: the entrypoint of every Laambda function container. It gives the runtime the Runtime
// API where Lambda has it, 127.0.0.1:9001 inside the sandbox, by piping each connection there to a Unix
// socket that only this container has mounted (the server listens on it), then runs the real
// entrypoint as its child. 127.0.0.1 is the container's own loopback (it has a network namespace of its
// own on the firewalled function network), and the socket is mounted into this container alone: no
// other container or tenant can reach this instance's Runtime API, and this one reaches no other.
//
// Usage: runtime-relay [-listen 127.0.0.1:9001] [-socket /var/laambda/runtime-api/api.sock] -- COMMAND [ARG...]
//
// It is PID 1: it forwards SIGTERM/SIGINT/SIGHUP/SIGQUIT to the child, reaps every orphan, and exits
// with the child's status (128+signal when a signal ended it). stdin, stdout and stderr are the child's.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:9001", "address the runtime reaches the Runtime API at")
	socket := flag.String("socket", "/var/laambda/runtime-api/api.sock", "the server's Runtime API socket")
	flag.Parse()
	command := flag.Args()
	if len(command) == 0 {
		fail("usage: runtime-relay [-listen ADDR] [-socket PATH] -- COMMAND [ARG...]")
	}
	// Listening before the child starts: its first request must find the port open.
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		fail("cannot listen on " + *listen + ": " + err.Error())
	}
	go serve(listener.(*net.TCPListener), *socket)
	os.Exit(run(command))
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "runtime-relay: "+message)
	os.Exit(127)
}

func serve(listener *net.TCPListener, socket string) {
	for {
		conn, err := listener.AcceptTCP()
		if err != nil {
			continue
		}
		go pipe(conn, socket)
	}
}

// pipe copies both ways until either side closes. No buffering beyond one read: each request and answer
// goes on as soon as it arrives (TCP_NODELAY on the runtime's side; a Unix socket has no Nagle).
func pipe(client *net.TCPConn, socket string) {
	defer client.Close()
	client.SetNoDelay(true)
	server, err := net.Dial("unix", socket)
	if err != nil {
		fmt.Fprintln(os.Stderr, "runtime-relay: the Runtime API is unreachable: "+err.Error())
		return
	}
	defer server.Close()
	done := make(chan struct{}, 2)
	go func() {
		io.Copy(server, client)
		server.(*net.UnixConn).CloseWrite()
		done <- struct{}{}
	}()
	go func() {
		io.Copy(client, server)
		client.CloseWrite()
		done <- struct{}{}
	}()
	<-done
	<-done
}

// run starts the command, forwards signals to it and reaps children until it exits; returns its status.
func run(command []string) int {
	signals := make(chan os.Signal, 64)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGCHLD)
	child := exec.Command(command[0], command[1:]...)
	child.Stdin, child.Stdout, child.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := child.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "runtime-relay: cannot start "+command[0]+": "+err.Error())
		return 127
	}
	pid := child.Process.Pid
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			syscall.Kill(pid, sig.(syscall.Signal))
			continue
		}
		// Reap every child that has ended: the runtime's, and orphans that PID 1 inherits.
		for {
			var status syscall.WaitStatus
			reaped, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
			if reaped <= 0 || err != nil {
				break
			}
			if reaped == pid {
				if status.Signaled() {
					return 128 + int(status.Signal())
				}
				return status.ExitStatus()
			}
		}
	}
	return 1
}
