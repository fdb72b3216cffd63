/* SPDX-License-Identifier: MIT */
/*
 * console_ctrl.c against a hostile device: short messages, unknown ports and
 * events, PORT_NAME without NUL or too long, PORT_ADD beyond max_nr_ports.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "virtio/console_ctrl.h"

static size_t msg(uint8_t *b, uint32_t id, uint16_t ev, uint16_t val, const void *extra, size_t n)
{
	b[0] = (uint8_t)id;
	b[1] = (uint8_t)(id >> 8);
	b[2] = (uint8_t)(id >> 16);
	b[3] = (uint8_t)(id >> 24);
	b[4] = (uint8_t)ev;
	b[5] = (uint8_t)(ev >> 8);
	b[6] = (uint8_t)val;
	b[7] = (uint8_t)(val >> 8);
	if (n)
		memcpy(b + 8, extra, n);
	return 8 + n;
}

static int send(struct vcons_ctrl *c, uint32_t id, uint16_t ev, uint16_t val,
		struct vcons_ctrl_result *r)
{
	uint8_t b[8];

	return vcons_ctrl_handle(c, b, msg(b, id, ev, val, NULL, 0), r);
}

static int send_name(struct vcons_ctrl *c, uint32_t id, const void *name, size_t n,
		     struct vcons_ctrl_result *r)
{
	uint8_t b[256];

	return vcons_ctrl_handle(c, b, msg(b, id, VIRTIO_CONSOLE_PORT_NAME, 1, name, n), r);
}

static void add_port(struct vcons_ctrl *c, uint32_t id)
{
	struct vcons_ctrl_result r;

	assert_int_equal(send(c, id, VIRTIO_CONSOLE_PORT_ADD, 1, &r), 0);
	assert_int_equal(r.action, VCONS_ACT_PORT_ADDED);
}

/* The handshake exactly as QEMU 7.2 runs it. */
static void test_qemu_handshake(void **state)
{
	struct vcons_ctrl c;
	struct vcons_ctrl_result r;
	uint8_t wire[8];

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 31), 0);
	assert_int_equal(c.nr_ports, 31);
	assert_int_equal(send(&c, 1, VIRTIO_CONSOLE_PORT_ADD, 1, &r), 0);
	assert_int_equal(r.action, VCONS_ACT_PORT_ADDED);
	assert_int_equal(r.port, 1);
	assert_true(r.reply);
	assert_int_equal(r.reply_msg.id, 1);
	assert_int_equal(r.reply_msg.event, VIRTIO_CONSOLE_PORT_READY);
	assert_int_equal(r.reply_msg.value, 1);
	vcons_ctrl_encode(&r.reply_msg, wire);
	assert_memory_equal(wire, "\x01\0\0\0\x03\0\x01\0", 8);
	c.ports[1].state = VCONS_PORT_READY;

	/* QEMU's name carries a trailing NUL. */
	assert_int_equal(send_name(&c, 1, "testrunner0", 12, &r), 0);
	assert_int_equal(r.action, VCONS_ACT_NAMED);
	assert_string_equal(c.ports[1].name, "testrunner0");
	assert_int_equal(vcons_ctrl_find(&c, "testrunner0"), 1);
	assert_int_equal(vcons_ctrl_find(&c, "testrunner"), -ENOENT);
	assert_int_equal(vcons_ctrl_find(&c, "testrunner00"), -ENOENT);

	assert_int_equal(send(&c, 1, VIRTIO_CONSOLE_PORT_OPEN, 1, &r), 0);
	assert_int_equal(r.action, VCONS_ACT_HOST_OPENED);
	assert_true(c.ports[1].host_open);
	assert_int_equal(send(&c, 1, VIRTIO_CONSOLE_PORT_OPEN, 0, &r), 0);
	assert_int_equal(r.action, VCONS_ACT_HOST_CLOSED);
	assert_false(c.ports[1].host_open);
	assert_true(c.ports[1].host_closed);
	assert_int_equal(c.rejected, 0);
}

static void test_name_without_nul_spec_style(void **state)
{
	struct vcons_ctrl c;
	struct vcons_ctrl_result r;

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 31), 0);
	add_port(&c, 2);
	/* The spec's form: length from the message, no terminator. */
	assert_int_equal(send_name(&c, 2, "rpmb0", 5, &r), 0);
	assert_string_equal(c.ports[2].name, "rpmb0");
}

static void test_max_nr_ports(void **state)
{
	struct vcons_ctrl c;

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 0), -EINVAL);
	assert_int_equal(vcons_ctrl_init(&c, 0x8001), -EINVAL);
	assert_int_equal(vcons_ctrl_init(&c, 0xffffffffu), -EINVAL);
	assert_int_equal(vcons_ctrl_init(&c, 0x8000), 0);
	assert_int_equal(c.nr_ports, VCONS_CTRL_MAX_PORTS);
	assert_int_equal(vcons_ctrl_init(&c, 1), 0);
	assert_int_equal(c.nr_ports, 1);
}

static void expect_reject(struct vcons_ctrl *c, int rc, int err, struct vcons_ctrl_result *r,
			  uint32_t rejected_before)
{
	assert_int_equal(rc, err);
	assert_non_null(r->error);
	assert_false(r->reply);
	assert_int_equal(r->action, VCONS_ACT_NONE);
	assert_int_equal(c->rejected, rejected_before + 1);
}

static void test_short_messages(void **state)
{
	struct vcons_ctrl c;
	struct vcons_ctrl_result r;
	uint8_t b[8];
	size_t n;

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 31), 0);
	msg(b, 1, VIRTIO_CONSOLE_PORT_ADD, 1, NULL, 0);
	for (n = 0; n < 8; n++) {
		uint32_t before = c.rejected;

		expect_reject(&c, vcons_ctrl_handle(&c, b, n, &r), -EINVAL, &r, before);
	}
	assert_int_equal(c.ports[1].state, VCONS_PORT_ABSENT);
}

static void test_port_add_beyond_max(void **state)
{
	struct vcons_ctrl c;
	struct vcons_ctrl_result r;

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 4), 0);
	expect_reject(&c, send(&c, 4, VIRTIO_CONSOLE_PORT_ADD, 1, &r), -EINVAL, &r, 0);
	expect_reject(&c, send(&c, 0xffffffffu, VIRTIO_CONSOLE_PORT_ADD, 1, &r), -EINVAL, &r, 1);
	/* QEMU's 31 is fine, 32 is our cap, beyond is rejected. */
	assert_int_equal(vcons_ctrl_init(&c, 1000), 0);
	add_port(&c, 31);
	expect_reject(&c, send(&c, 32, VIRTIO_CONSOLE_PORT_ADD, 1, &r), -EINVAL, &r, 0);
}

static void test_duplicate_add(void **state)
{
	struct vcons_ctrl c;
	struct vcons_ctrl_result r;

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 31), 0);
	add_port(&c, 3);
	assert_int_equal(send_name(&c, 3, "x", 2, &r), 0);
	expect_reject(&c, send(&c, 3, VIRTIO_CONSOLE_PORT_ADD, 1, &r), -EINVAL, &r, 0);
	/* the existing port is untouched */
	assert_string_equal(c.ports[3].name, "x");
}

static void test_unknown_port(void **state)
{
	static const uint16_t evs[] = { VIRTIO_CONSOLE_PORT_REMOVE, VIRTIO_CONSOLE_CONSOLE_PORT,
					VIRTIO_CONSOLE_RESIZE, VIRTIO_CONSOLE_PORT_OPEN,
					VIRTIO_CONSOLE_PORT_NAME };
	struct vcons_ctrl c;
	struct vcons_ctrl_result r;
	size_t i;

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 31), 0);
	for (i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		expect_reject(&c, send(&c, 5, evs[i], 1, &r), -ENOENT, &r, (uint32_t)i);
	assert_int_equal(c.ports[5].state, VCONS_PORT_ABSENT);
	assert_false(c.ports[5].host_open);
}

static void test_unknown_event(void **state)
{
	struct vcons_ctrl c;
	struct vcons_ctrl_result r;

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 31), 0);
	add_port(&c, 1);
	expect_reject(&c, send(&c, 1, 8, 1, &r), -EPROTO, &r, 0);
	expect_reject(&c, send(&c, 1, 0xffff, 1, &r), -EPROTO, &r, 1);
	/* driver->device events coming back from the device */
	expect_reject(&c, send(&c, 1, VIRTIO_CONSOLE_DEVICE_READY, 1, &r), -EPROTO, &r, 2);
	expect_reject(&c, send(&c, 1, VIRTIO_CONSOLE_PORT_READY, 1, &r), -EPROTO, &r, 3);
}

static void test_bad_names(void **state)
{
	struct vcons_ctrl c;
	struct vcons_ctrl_result r;
	char name[200];
	uint32_t rej = 0;

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 31), 0);
	add_port(&c, 1);
	memset(name, 'a', sizeof(name));

	/* 65 bytes and no NUL: over the limit */
	expect_reject(&c, send_name(&c, 1, name, 65, &r), -EINVAL, &r, rej++);
	/* 65 bytes + NUL */
	name[65] = '\0';
	expect_reject(&c, send_name(&c, 1, name, 66, &r), -EINVAL, &r, rej++);
	/* A long name cut by a short buffer: no NUL anywhere (QEMU truncation) */
	memset(name, 'b', sizeof(name));
	expect_reject(&c, send_name(&c, 1, name, 120, &r), -EINVAL, &r, rej++);
	/* empty name: a header only, or just a NUL (length underflow bait) */
	expect_reject(&c, send_name(&c, 1, "", 0, &r), -EINVAL, &r, rej++);
	expect_reject(&c, send_name(&c, 1, "", 1, &r), -EINVAL, &r, rej++);
	/* bytes after the NUL */
	expect_reject(&c, send_name(&c, 1, "ab\0cd", 5, &r), -EINVAL, &r, rej++);
	assert_false(c.ports[1].named);
	assert_int_equal(c.ports[1].name[0], '\0');

	/* exactly 64 bytes is accepted, with and without NUL */
	memset(name, 'c', 64);
	name[64] = '\0';
	assert_int_equal(send_name(&c, 1, name, 65, &r), 0);
	assert_int_equal(strlen(c.ports[1].name), 64);
	/* a second name for the same port is refused */
	expect_reject(&c, send_name(&c, 1, "other", 6, &r), -EINVAL, &r, rej++);
	add_port(&c, 2);
	assert_int_equal(send_name(&c, 2, name, 64, &r), 0);
	assert_int_equal(strlen(c.ports[2].name), 64);
}

static void test_remove_and_readd(void **state)
{
	struct vcons_ctrl c;
	struct vcons_ctrl_result r;

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 31), 0);
	add_port(&c, 1);
	assert_int_equal(send_name(&c, 1, "testrunner0", 12, &r), 0);
	assert_int_equal(send(&c, 1, VIRTIO_CONSOLE_PORT_REMOVE, 1, &r), 0);
	assert_int_equal(r.action, VCONS_ACT_PORT_REMOVED);
	assert_int_equal(vcons_ctrl_find(&c, "testrunner0"), -ENOENT);
	expect_reject(&c, send(&c, 1, VIRTIO_CONSOLE_PORT_OPEN, 1, &r), -ENOENT, &r, 0);
	add_port(&c, 1);
	assert_int_equal(send_name(&c, 1, "testrunner0", 12, &r), 0);
	assert_int_equal(vcons_ctrl_find(&c, "testrunner0"), 1);
}

static void test_resize_and_console(void **state)
{
	struct vcons_ctrl c;
	struct vcons_ctrl_result r;
	uint8_t b[8];

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 31), 0);
	add_port(&c, 0);
	/* RESIZE without its size payload: nothing is read past len */
	assert_int_equal(vcons_ctrl_handle(&c, b, msg(b, 0, VIRTIO_CONSOLE_RESIZE, 0, NULL, 0), &r),
			 0);
	assert_int_equal(send(&c, 0, VIRTIO_CONSOLE_CONSOLE_PORT, 1, &r), 0);
	assert_true(c.ports[0].console);
	assert_false(r.reply);
}

/* Deterministic random messages: never a crash, state stays consistent. */
static void test_random_messages(void **state)
{
	struct vcons_ctrl c;
	struct vcons_ctrl_result r;
	uint32_t rnd = 1, i, p;
	uint8_t b[128];

	(void)state;
	assert_int_equal(vcons_ctrl_init(&c, 31), 0);
	for (i = 0; i < 200000; i++) {
		size_t len = (rnd >> 8) % sizeof(b), k;

		for (k = 0; k < len; k++) {
			rnd = rnd * 1103515245 + 12345;
			b[k] = (uint8_t)(rnd >> 16);
		}
		if (len >= 8) {
			b[1] = b[2] = b[3] = 0;
			b[0] %= 40;
			b[4] %= 10;
			b[5] = 0;
		}
		rnd = rnd * 1103515245 + 12345;
		(void)vcons_ctrl_handle(&c, b, len, &r);
		if (r.reply)
			c.ports[r.port].state = VCONS_PORT_READY;
	}
	for (p = 0; p < VCONS_CTRL_MAX_PORTS; p++) {
		assert_true(memchr(c.ports[p].name, 0, sizeof(c.ports[p].name)) != NULL);
		if (p >= 31)
			assert_int_equal(c.ports[p].state, VCONS_PORT_ABSENT);
	}
	assert_true(c.rejected > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_handshake),
		cmocka_unit_test(test_name_without_nul_spec_style),
		cmocka_unit_test(test_max_nr_ports),
		cmocka_unit_test(test_short_messages),
		cmocka_unit_test(test_port_add_beyond_max),
		cmocka_unit_test(test_duplicate_add),
		cmocka_unit_test(test_unknown_port),
		cmocka_unit_test(test_unknown_event),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_remove_and_readd),
		cmocka_unit_test(test_resize_and_console),
		cmocka_unit_test(test_random_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
