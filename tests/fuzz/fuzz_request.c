/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the guest's request reassembly, parsing and test selection
 * (guest/runner/request.c, registry.c, protocol.h selector matching).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <testrunner/catalogue.h>

#include "runner/registry.h"
#include "runner/request.h"

static void nop(void)
{
}

#define T(s, n, ...)                                                         \
	{                                                                    \
		.suite = s, .name = n, .fn = nop, .file = "t.c", __VA_ARGS__ \
	}

static const struct boot_test catalogue[] = {
	T("fixture", "crash", .manual = true),
	T("fixture", "pass", .manual = true),
	T("selftest", "fdt"),
	T("selftest", "timer"),
	T("sub", "a"),
	T("sub", "b", .manual = true),
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint16_t picked[REGISTRY_MAX_TESTS];
	static struct request_buf rb;
	static struct request req;
	const char *bad, *unknown;
	size_t off = 0;
	int rc = 0;

	/* the first byte chooses how the stream is chunked */
	size_t chunk = size ? (size_t)(data[0] % 17) + 1 : 1;

	request_buf_init(&rb);
	for (off = size ? 1 : 0; off < size && rc == 0; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;

		rc = request_feed(&rb, data + off, n);
	}
	if (rc < 0)
		return 0;
	if (!rb.complete)
		request_finish(&rb);
	if (strlen(rb.text) > PROTO_REQUEST_MAX)
		__builtin_trap();
	if (request_parse(rb.text, &req, &bad))
		return 0;
	if (req.kind == REQUEST_SECONDARY)
		return 0;
	rc = registry_select(catalogue, sizeof(catalogue) / sizeof(catalogue[0]), req.selectors,
			     req.nr_selectors, req.kind == REQUEST_LIST, picked, &unknown);
	if (rc > (int)(sizeof(catalogue) / sizeof(catalogue[0])))
		__builtin_trap();
	if (req.nr_selectors > PROTO_SELECTORS_MAX)
		__builtin_trap();
	/* every selector lives in req.storage and uses only the allowed bytes */
	for (size_t i = 0; i < req.nr_selectors; i++) {
		const char *sel = req.selectors[i];

		if (sel < req.storage || sel >= req.storage + sizeof(req.storage) || !*sel ||
		    strspn(sel, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				"0123456789_.*-") != strlen(sel))
			__builtin_trap();
	}
	if (rc == -ENOENT || rc == -EPERM) {
		/* the refused selector picks nothing; -EPERM: it matches manual tests only */
		bool matches = false;

		for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++) {
			char name[64];

			snprintf(name, sizeof(name), "%s.%s", catalogue[i].suite,
				 catalogue[i].name);
			if (proto_selector_picks(unknown, name, catalogue[i].manual))
				__builtin_trap();
			matches |= proto_selector_match(unknown, name);
		}
		if (matches != (rc == -EPERM))
			__builtin_trap();
		return 0;
	}
	if (rc < 0)
		__builtin_trap();
	/* picked tests are in catalogue order, each once, each selected */
	for (int i = 0; i < rc; i++) {
		char name[64];
		bool hit = req.nr_selectors == 0;

		if (picked[i] >= sizeof(catalogue) / sizeof(catalogue[0]) ||
		    (i && picked[i] <= picked[i - 1]))
			__builtin_trap();
		snprintf(name, sizeof(name), "%s.%s", catalogue[picked[i]].suite,
			 catalogue[picked[i]].name);
		for (size_t k = 0; k < req.nr_selectors; k++)
			hit |= proto_selector_picks(req.selectors[k], name,
						    catalogue[picked[i]].manual);
		if (!hit || (req.nr_selectors == 0 && req.kind == REQUEST_BOOTTEST &&
			     catalogue[picked[i]].manual))
			__builtin_trap();
	}
	return 0;
}
