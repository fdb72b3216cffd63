/* SPDX-License-Identifier: MIT */
/* The channel's memory of the guest's last complete log line, however the stream is cut. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <testrunner/protocol.h>

#include "machine/channel.h"

static int peer;
static struct channel ch;

static void open_channel(void)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	channel_init(&ch, false, false, &(struct channel_ops){ 0 });
	ch.fd = sv[0];
	peer = sv[1];
}

static void close_channel(void)
{
	close(ch.fd);
	close(peer);
}

/* @text in log frames of @chunk payload bytes each, then read. */
static void send_log(const char *text, size_t chunk)
{
	uint8_t frame[PROTO_FRAME_SIZE];

	for (size_t off = 0, len = strlen(text); off < len;) {
		size_t n =
			proto_encode_log(frame, text + off, len - off < chunk ? len - off : chunk);

		assert_int_equal(write(peer, frame, sizeof(frame)), sizeof(frame));
		off += n;
	}
	assert_int_equal(channel_read(&ch), CHANNEL_MORE);
}

static void test_last_line_across_chunks(void **state)
{
	(void)state;
	for (size_t chunk = 1; chunk <= PROTO_LOG_MAX; chunk += chunk < 8 ? 1 : 13) {
		open_channel();
		send_log("no newline yet", chunk);
		assert_string_equal(ch.last_line, "");
		send_log(" still the first line\nsecond", chunk);
		assert_string_equal(ch.last_line, "no newline yet still the first line");
		send_log(" line\nthird\nfourth\npartial", chunk);
		assert_string_equal(ch.last_line, "fourth");
		send_log("\n\n", chunk);
		assert_string_equal(ch.last_line, ""); /* an empty line is the last one */
		close_channel();
	}
}

/* A line longer than the channel keeps: its first CHANNEL_LINE_MAX - 1 bytes. */
static void test_long_line_is_cut(void **state)
{
	static char text[3 * CHANNEL_LINE_MAX + 8];
	char want[CHANNEL_LINE_MAX];

	(void)state;
	open_channel();
	memset(text, 'a', 3 * CHANNEL_LINE_MAX);
	text[0] = 'b';
	strcpy(text + 3 * CHANNEL_LINE_MAX, "\nx");
	send_log(text, PROTO_LOG_MAX);
	memset(want, 'a', sizeof(want) - 1);
	want[0] = 'b';
	want[sizeof(want) - 1] = '\0';
	assert_string_equal(ch.last_line, want);
	send_log("y\n", 1);
	assert_string_equal(ch.last_line, "xy");
	close_channel();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_last_line_across_chunks),
		cmocka_unit_test(test_long_line_is_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
