/* SPDX-License-Identifier: MIT */
/*
 * The testrunner: bring up the platform, find testrunner0 on any virtio
 * console, read the host's request, run the selected boot tests (or boot the
 * secondary OS), send the result frame and power off (or reset, when the
 * request asks for it).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <testrunner/catalogue.h>
#include <testrunner/protocol.h>

#include "arch/aarch64/boot_times.h"
#include "platform/platform.h"
#include "runner/framework.h"
#include "runner/ktap.h"
#include "runner/registry.h"
#include "runner/request.h"
#include "runner/secondary.h"
#include "virtio/console.h"

#define TESTRUNNER_VERSION "0.1"

/* How long to wait for the first request byte before saying so on the UART. */
#define REQUEST_FIRST_BYTE_US (10ULL * 1000 * 1000)

static struct frame_writer channel_out;
static uint16_t selected[REGISTRY_MAX_TESTS];
/* A crash stopped the run before its last test: the host has tests left. */
static bool stopped_by_crash;

static int sink_write(void *ctx, const void *frames, size_t len)
{
	return vcons_port_write(ctx, frames, len);
}

static int sink_kick(void *ctx)
{
	return vcons_port_kick(ctx);
}

static void __attribute__((noreturn)) halt(const char *why)
{
	uart_puts("testrunner: ");
	uart_puts(why);
	uart_puts("\n");
	psci_system_off();
}

/*
 * The host asked for a reset (PROTO_RESET_OPTION) and will send the next
 * request as soon as the result frame arrives: before that frame, the port
 * stops taking the host's data (it still transmits), which then waits in
 * QEMU's socket for the next boot instead of landing in this one's buffers.
 */
static void hold_input(struct vcons_port *port)
{
	int rc = vcons_port_refuse_input(port);

	if (!rc)
		rc = timer_virt_rounds(2, 200);
	if (rc)
		printf("testrunner: closing " PROTO_PORT_NAME " before the reset: error %d\n", rc);
}

/*
 * A request ends at '\n' or '\0', or PROTO_REQUEST_QUIET_MS after its last
 * byte when it has no terminator (Trusty's original host sends none).
 */
static int read_request(struct vcons_port *port, struct request_buf *rb)
{
	char buf[PROTO_REQUEST_MAX + 1];

	request_buf_init(rb);
	for (;;) {
		uint64_t wait = rb->len ? PROTO_REQUEST_QUIET_MS * 1000ULL : REQUEST_FIRST_BYTE_US;
		ssize_t n = vcons_port_read(port, buf, sizeof(buf), wait);
		int rc;

		if (n == 0 && !rb->len) {
			uart_puts("testrunner: waiting for a request on " PROTO_PORT_NAME "\n");
			continue;
		}
		if (n == 0 || (n == -EPIPE && rb->len)) {
			request_finish(rb);
			return 0;
		}
		if (n < 0)
			return (int)n;
		rc = request_feed(rb, buf, (size_t)n);
		if (rc)
			return rc < 0 ? rc : 0;
	}
}

/*
 * The request's tests into selected[] (with no selector: everything, or the
 * default set). Returns their number, or -1 after saying which selector
 * matched nothing.
 */
static int select_tests(const struct request *req, bool all_by_default)
{
	size_t count = (size_t)(__boot_tests_end - __boot_tests_start);
	const char *unknown;
	int n = registry_select(__boot_tests_start, count, req->selectors, req->nr_selectors,
				all_by_default, selected, &unknown);

	if (n == -EPERM)
		ktap_diag(&channel_out,
			  "test selector %s picks only manual tests: "
			  "name each one (suite.case)",
			  unknown);
	else if (n < 0)
		ktap_diag(&channel_out, "unknown test selector: %s", unknown ? unknown : "?");
	return n < 0 ? -1 : n;
}

/* Each test's name line, then its catalogue line (options and source file). */
static enum proto_status send_list(const struct request *req)
{
	char name[REGISTRY_NAME_MAX], line[PROTO_CATALOGUE_LINE_MAX];
	int n = select_tests(req, true);

	if (n < 0)
		return PROTO_STATUS_ERROR;
	for (int i = 0; i < n; i++) {
		const struct boot_test *t = &__boot_tests_start[selected[i]];
		/* both fit: registry_check passed */
		int len = registry_describe(t, line, sizeof(line));

		registry_full_name(t, name, sizeof(name));
		frames_log(&channel_out, name, strlen(name));
		frames_log(&channel_out, "\n", 1);
		if (len > 0) {
			frames_log(&channel_out, line, (size_t)len);
			frames_log(&channel_out, "\n", 1);
		}
	}
	return PROTO_STATUS_PASS;
}

static enum proto_status run_tests(const struct request *req)
{
	enum proto_status status = PROTO_STATUS_PASS;
	unsigned int passed = 0, failed = 0, skipped = 0;
	char summary[96];
	int n = select_tests(req, false);

	if (n < 0)
		return PROTO_STATUS_ERROR;
	ktap_header(&channel_out, (unsigned int)n);
	BOOT_TIME(BOOT_T_FIRST_TEST);
	for (int i = 0; i < n; i++) {
		const struct boot_test *next =
			i + 1 < n ? &__boot_tests_start[selected[i + 1]] : NULL;
		enum bt_outcome outcome =
			framework_run(&__boot_tests_start[selected[i]], next, (unsigned int)i + 1);

		if (outcome == BT_PASSED) {
			passed++;
		} else if (outcome == BT_SKIPPED) {
			skipped++;
		} else {
			failed++;
			status = PROTO_STATUS_FAIL;
			/* a crashed test leaves the machine in an unknown state */
			if (outcome == BT_CRASHED) {
				stopped_by_crash = i + 1 < n;
				break;
			}
		}
	}
	snprintf(summary, sizeof(summary), "%u passed, %u failed, %u skipped", passed, failed,
		 skipped);
	ktap_diag(&channel_out, "%s", summary);
	uart_puts(summary);
	uart_puts("\n");
	return status;
}

void boot_main(uintptr_t boot_x0)
{
	const size_t count = (size_t)(__boot_tests_end - __boot_tests_start);
	static struct request_buf rb;
	static struct request req;
	enum proto_status status;
	struct vcons_port *port;
	const char *bad, *model;
	bool reset;
	char why[2 * PROTO_CATALOGUE_FILE_MAX + 96];
	int rc;

	rc = platform_init(boot_x0);
	BOOT_TIME(BOOT_T_PLATFORM);
	if (rc) {
		printf("testrunner: platform initialisation failed: error %d\n", rc);
		halt("cannot continue");
	}
	model = dt_string(0, "model");
	printf("testrunner " TESTRUNNER_VERSION " on %s: %zu boot tests\n",
	       model ? model : "unknown machine", count);
	BOOT_TIME(BOOT_T_BANNER);

	rc = vcons_init();
	BOOT_TIME(BOOT_T_VCONS);
	if (rc < 0 && rc != -ENODEV) {
		printf("testrunner: virtio console: error %d\n", rc);
		halt("no channel");
	}
	port = vcons_find_port(PROTO_PORT_NAME);
	BOOT_TIME(BOOT_T_PORT_FOUND);
	if (!port)
		halt("no virtio console port named " PROTO_PORT_NAME);
	rc = vcons_port_open(port);
	BOOT_TIME(BOOT_T_PORT_OPEN);
	if (rc) {
		printf("testrunner: opening " PROTO_PORT_NAME ": error %d\n", rc);
		halt("no channel");
	}

	const struct frame_sink sink = { sink_write, sink_kick, port };

	frames_init(&channel_out, &sink);
	framework_init(&channel_out);

	rc = read_request(port, &rb);
	BOOT_TIME(BOOT_T_REQUEST);
	if (registry_check(__boot_tests_start, count, why, sizeof(why))) {
		/* to the host as well: the build that made this image is wrong */
		printf("testrunner: %s\n", why);
		ktap_diag(&channel_out, "%s", why);
		status = PROTO_STATUS_ERROR;
	} else if (rc == -E2BIG) {
		ktap_diag(&channel_out, "request longer than %d bytes", PROTO_REQUEST_MAX);
		status = PROTO_STATUS_ERROR;
	} else if (rc) {
		printf("testrunner: reading the request: error %d\n", rc);
		halt("no request");
	} else if ((rc = request_parse(rb.text, &req, &bad))) {
		ktap_diag(&channel_out, "%s selector: \"%s\"",
			  rc == -E2BIG ? "too many selectors at" : "malformed", bad ? bad : "");
		status = PROTO_STATUS_ERROR;
	} else if (req.kind == REQUEST_LIST) {
		status = send_list(&req);
	} else if (req.kind == REQUEST_BOOTTEST) {
		status = run_tests(&req);
	} else {
		/* returns only when it refused the image, having said why */
		rc = secondary_boot();
		printf("testrunner: secondary OS not started: error %d\n", rc);
		status = PROTO_STATUS_ERROR;
	}

	BOOT_TIMES_REPORT(&channel_out);
	reset = req.reset == PROTO_RESET_ALWAYS ||
		(req.reset == PROTO_RESET_AFTER_CRASH && stopped_by_crash);
	if (reset)
		hold_input(port);
	rc = frames_result(&channel_out, status);
	if (rc)
		printf("testrunner: sending the result (%d): error %d\n", status, rc);
	rc = vcons_port_flush(port);
	if (rc)
		printf("testrunner: flushing " PROTO_PORT_NAME ": error %d\n", rc);
	if (reset)
		psci_system_reset();
	psci_system_off();
}
