#!/usr/bin/env bash
# --debug in real QEMU: the gdb stub listens on 127.0.0.1 only, on a free port
# that is printed with an attach command naming the ELF with the symbols; two
# --debug runs at once each get their own port; --gdb-port picks the port. A
# gdb "continue" packet sent to the stub lets each guest run to its result.
set -u
. "$(dirname "$0")/lib.sh"
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
N=9

echo "1..$N"
if [ ! -f "$IMG" ] || ! command -v "$QEMU" >/dev/null || [ ! -x "$H" ]; then
	fail_all "no guest image, QEMU or harness: the build is incomplete"
fi

# start NAME ARGS...: a halted run in the background, its attach port in $WORK/NAME.port
start() {
	local name=$1
	shift
	(timeout -k 5 60 "$H" run --timeout 10 "$@" fixture.pass >"$WORK/$name.out" 2>"$WORK/$name.err"
	 echo $? >"$WORK/$name.rc") &
	for _ in $(seq 100); do
		grep -q "target remote" "$WORK/$name.err" 2>/dev/null && break
		sleep 0.1
	done
	sed -nE "s/.*target remote 127\.0\.0\.1:([0-9]+)'\$/\1/p" "$WORK/$name.err" >"$WORK/$name.port"
}
# resume NAME: connect to its stub (once it listens) and send gdb's "continue"
resume() {
	local port
	port=$(cat "$WORK/$1.port")
	[ -n "$port" ] || return 1
	for _ in $(seq 100); do
		ss -ltnH "sport = :$port" | grep -q . && break
		sleep 0.1
	done
	(exec 3<>"/dev/tcp/127.0.0.1/$port" && printf '+$c#63' >&3 && sleep 30) &
	bg+=($!)
}
# finished NAME: the run exited 0 with the test passed
finished() {
	for _ in $(seq 300); do
		[ -f "$WORK/$1.rc" ] && break
		sleep 0.1
	done
	[ "$(cat "$WORK/$1.rc" 2>/dev/null)" = 0 ] && grep -qx 'ok 1 fixture.pass' "$WORK/$1.out"
}

start one --image "$IMG" --debug
start two --image "${IMG%.elf}.bin" --debug
p1=$(cat "$WORK/one.port") p2=$(cat "$WORK/two.port")
[ -n "$p1" ] && [ -n "$p2" ] && [ "$p1" != "$p2" ] && ok "two --debug runs at once: ports $p1 and $p2" ||
	not_ok "two --debug runs: ports '$p1' '$p2': $(cat "$WORK/one.err" "$WORK/two.err")"
grep -qE "gdb-multiarch $IMG -ex 'target remote 127.0.0.1:$p1'\$" "$WORK/one.err" &&
	ok "the attach command names the ELF" || not_ok "attach command: $(cat "$WORK/one.err")"
grep -qE "gdb-multiarch $IMG -ex " "$WORK/two.err" &&
	ok "booting the .bin, the attach command names the .elf beside it" ||
	not_ok "attach command for the .bin: $(cat "$WORK/two.err")"
# halted until continued: the stub is there to be looked at
for _ in $(seq 100); do
	listen=$(ss -ltnH "sport = :$p1" | awk '{ print $4 }')
	[ -n "$listen" ] && break
	sleep 0.1
done
[ "$listen" = "127.0.0.1:$p1" ] && ok "the stub listens on 127.0.0.1 only" ||
	not_ok "the stub listens on '$listen'"
resume one
resume two
finished one && ok "the first run, continued from gdb, passes" ||
	not_ok "first run: exit $(cat "$WORK/one.rc" 2>/dev/null): $(tail -3 "$WORK/one.err")"
finished two && ok "the second run, continued from gdb, passes" ||
	not_ok "second run: exit $(cat "$WORK/two.rc" 2>/dev/null): $(tail -3 "$WORK/two.err")"
# the first run's port is free again now
start three --image "$IMG" --gdb-port "$p1"
[ "$(cat "$WORK/three.port")" = "$p1" ] && ok "--gdb-port $p1 is the port used" ||
	not_ok "--gdb-port: $(cat "$WORK/three.err")"
resume three
finished three && ok "--gdb-port implies --debug: halted, continued, passed" ||
	not_ok "--gdb-port run: exit $(cat "$WORK/three.rc" 2>/dev/null)"
for p in "${bg[@]}"; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
[ -z "$(ls -A "$TMPDIR")" ] && ok "nothing left behind" || not_ok "left $(ls "$TMPDIR")"
