/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: the DT index's walk (guest/platform/dt_index.c) on QEMU's real
 * virt DTB and on hostile blobs: malformed ones get libfdt's answers (the
 * fallback), one libfdt could never walk is refused, and nothing is read
 * outside the blob (each copy is exactly its totalsize, for ASan).
 */
#include <unistd.h>

#include "dt_trees.h"

/* QEMU's own virt DT (56 nodes, 32 virtio-mmio transports), dumped by QEMU. */
static void test_qemu_virt_dtb(void **state)
{
	const char *qemu = getenv("QEMU") ? getenv("QEMU") : "qemu-system-aarch64";
	char file[] = "/tmp/test_dt_lookup.XXXXXX", cmd[512];
	FILE *f;
	void *fdt;
	long size;
	int fd = mkstemp(file);
	(void)state;

	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "%s -M virt,dumpdtb=%s -cpu cortex-a57 -m 256M -display none >/dev/null 2>&1",
		 qemu, file);
	assert_int_equal(system(cmd), 0);
	f = fopen(file, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	rewind(f);
	assert_true(size > 0);
	fdt = malloc((size_t)size);
	assert_non_null(fdt);
	assert_int_equal(fread(fdt, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	unlink(file);
	CHECK(fdt_check_header(fdt));
	assert_int_equal(fdt_totalsize(fdt), (uint32_t)size);

	dt_use(fdt);
	assert_true(dt_index_in_use());
	assert_true(agree_at_nodes(fdt) > 32);
	assert_true(dt_find_compatible(-1, "virtio,mmio") > 0);
	assert_true(dt_find_memory(-1) > 0);
	dt_use(NULL);
	free(fdt);
}

/* Token streams libfdt walks without complaint: the index must answer as libfdt. */
static void test_odd_but_walkable(void **state)
{
	void *base = virt_like_tree(4), *fdt;
	int prop;
	(void)state;

	/* FDT_NOP tokens: a property and a whole node overwritten by them */
	fdt = exact_copy(base);
	CHECK(fdt_nop_property(fdt, fdt_path_offset(fdt, "/pl011@9000000"), "compatible"));
	CHECK(fdt_nop_node(fdt, fdt_path_offset(fdt, "/a@1")));
	check_tree(fdt, true);
	free(fdt);

	/* a nameoff outside the strings block, one at its last byte, one at its end */
	fdt = exact_copy(base);
	prop = prop_at(fdt, "/intc@8000000", "compatible");
	*word_at(fdt, prop + 8) = cpu_to_fdt32(fdt_size_dt_strings(fdt) + 16);
	prop = prop_at(fdt, "/intc@8000000", "phandle");
	*word_at(fdt, prop + 8) = cpu_to_fdt32(fdt_size_dt_strings(fdt) - 1);
	prop = prop_at(fdt, "/a@1", "linux,phandle");
	*word_at(fdt, prop + 8) = cpu_to_fdt32(0x80000000U);
	prop = prop_at(fdt, "/memory@40000000", "device_type");
	*word_at(fdt, prop + 8) = cpu_to_fdt32(fdt_size_dt_strings(fdt));
	check_tree(fdt, true);
	dt_use(fdt);
	assert_int_equal(dt_find_phandle(1), -FDT_ERR_NOTFOUND);
	dt_use(NULL);
	free(fdt);

	/* the last string unterminated: no name matches it */
	fdt = exact_copy(base);
	((struct fdt_header *)fdt)->size_dt_strings = cpu_to_fdt32(fdt_size_dt_strings(fdt) - 1);
	check_tree(fdt, true);
	free(fdt);
	free(base);
}

/* Properties twice, late, or with odd phandles: the first one libfdt finds counts. */
static void test_property_order(void **state)
{
	void *fdt = calloc(1, TREE_SIZE);
	(void)state;

	assert_non_null(fdt);
	CHECK(fdt_create(fdt, TREE_SIZE));
	CHECK(fdt_finish_reservemap(fdt));
	CHECK(fdt_begin_node(fdt, ""));
	CHECK(fdt_begin_node(fdt, "twice"));
	CHECK(fdt_property_string(fdt, "compatible", "arm,pl011"));
	CHECK(fdt_property_string(fdt, "compatible", "virtio,mmio"));
	CHECK(fdt_property_string(fdt, "device_type", "cpu"));
	CHECK(fdt_property_string(fdt, "device_type", "memory"));
	prop_u32(fdt, "phandle", 3);
	prop_u32(fdt, "phandle", 4);
	CHECK(fdt_end_node(fdt));
	/* a short phandle gives way to linux,phandle; a 4-byte 0 does not */
	CHECK(fdt_begin_node(fdt, "short"));
	CHECK(fdt_property(fdt, "phandle", "\0\5", 2));
	prop_u32(fdt, "linux,phandle", 5);
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_begin_node(fdt, "zero"));
	prop_u32(fdt, "phandle", 0);
	prop_u32(fdt, "linux,phandle", 6);
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_begin_node(fdt, "linux-first"));
	prop_u32(fdt, "linux,phandle", 7);
	prop_u32(fdt, "phandle", 8);
	CHECK(fdt_end_node(fdt));
	/* after a subnode, a property is nobody's for libfdt */
	CHECK(fdt_begin_node(fdt, "late"));
	CHECK(fdt_begin_node(fdt, "child"));
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_property_string(fdt, "compatible", "arm,pl061"));
	CHECK(fdt_property_string(fdt, "device_type", "memory"));
	prop_u32(fdt, "phandle", 9);
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_property(fdt, "compatible", "", 0));
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_finish(fdt));

	check_tree(fdt, true);
	dt_use(fdt);
	assert_int_equal(dt_find_phandle(5), fdt_path_offset(fdt, "/short"));
	assert_int_equal(dt_find_phandle(6), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_find_phandle(8), fdt_path_offset(fdt, "/linux-first"));
	assert_int_equal(dt_find_phandle(9), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_find_compatible(-1, "arm,pl061"), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_find_memory(-1), -FDT_ERR_NOTFOUND);
	dt_use(NULL);
	free(fdt);
}

/* Broken structure blocks: libfdt answers (the fallback), nothing read out of bounds. */
static void test_malformed(void **state)
{
	void *base = virt_like_tree(4), *fdt;
	struct fdt_header *h;
	int prop, node;
	(void)state;

	/* structure block cut in the middle of a property, then of a node name */
	prop = prop_at(base, "/pl011@9000000", "reg");
	node = fdt_path_offset(base, "/timer");
	for (int cut = 0; cut < 2; cut++) {
		fdt = exact_copy(base);
		h = fdt;
		h->size_dt_struct = cpu_to_fdt32(cut ? (uint32_t)node + 6 : (uint32_t)prop + 14);
		check_tree(fdt, false);
		free(fdt);
	}
	/* a property length past the end of the block, and one past 4 GiB */
	for (int big = 0; big < 2; big++) {
		fdt = exact_copy(base);
		*word_at(fdt, prop + 4) = cpu_to_fdt32(big ? 0xfffffff8U : fdt_size_dt_struct(fdt));
		check_tree(fdt, false);
		free(fdt);
	}
	/* no FDT_END: a NOP in its place, or the block ending before it */
	fdt = exact_copy(base);
	*word_at(fdt, (int)fdt_size_dt_struct(fdt) - 4) = cpu_to_fdt32(FDT_NOP);
	check_tree(fdt, false);
	h = fdt;
	*word_at(fdt, (int)fdt_size_dt_struct(fdt) - 4) = cpu_to_fdt32(FDT_END);
	h->size_dt_struct = cpu_to_fdt32(fdt_size_dt_struct(fdt) - 4);
	check_tree(fdt, false);
	free(fdt);
	/* the node name unterminated to the end of the block */
	fdt = exact_copy(base);
	memset(word_at(fdt, node + 4), 'x', fdt_size_dt_struct(fdt) - (uint32_t)node - 4);
	check_tree(fdt, false);
	free(fdt);
	/* an FDT_END before the root is closed; an unknown token */
	for (uint32_t tag = FDT_END; tag <= FDT_END + 1; tag++) {
		fdt = exact_copy(base);
		*word_at(fdt, node) = cpu_to_fdt32(tag);
		check_tree(fdt, false);
		free(fdt);
	}
	free(base);
}

/* 32 levels (the root counts) are indexed, 33 are libfdt's. */
static void test_depth_limit(void **state)
{
	void *fdt = deep_tree(31);
	(void)state;

	check_tree(fdt, true);
	free(fdt);
	fdt = deep_tree(32);
	check_tree(fdt, false);
	free(fdt);
}

/*
 * A property length of 2^32 - 12 brings libfdt 1.6.1's fdt_next_tag back to
 * the same tag: its walks never end (seen: the old index build hung). Such a
 * blob is refused, like one with a bad header.
 */
static void test_refused(void **state)
{
	void *base = virt_like_tree(4), *fdt;
	(void)state;

	fdt = exact_copy(base);
	*word_at(fdt, prop_at(fdt, "/timer", "compatible") + 4) = cpu_to_fdt32(0xfffffff4U);
	dt_use(fdt);
	assert_null(dt_blob());
	assert_false(dt_index_in_use());
	assert_int_equal(dt_find_compatible(-1, "arm,armv8-timer"), -FDT_ERR_BADSTATE);
	assert_int_equal(dt_path_offset("/"), -FDT_ERR_BADSTATE);
	free(fdt);

	fdt = exact_copy(base);
	((struct fdt_header *)fdt)->magic = 0;
	dt_use(fdt);
	assert_null(dt_blob());
	free(fdt);
	free(base);
}

/*
 * Every word of a small tree's structure block replaced by each token value
 * and a few lengths and offsets: refused, or libfdt's answers.
 */
static void test_every_word(void **state)
{
	static const uint32_t values[] = {
		0,	 FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP,
		FDT_NOP, FDT_END,	 0xfffffff4U,  0x7fffffffU,
	};
	void *base = virt_like_tree(0), *fdt = exact_copy(base);
	uint32_t words = fdt_size_dt_struct(base) / 4;
	(void)state;

	for (uint32_t i = 0; i < words; i++)
		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			memcpy(fdt, base, fdt_totalsize(base));
			*word_at(fdt, (int)i * 4) = cpu_to_fdt32(values[v]);
			dt_use(fdt);
			if (dt_blob())
				agree_at_nodes(fdt);
			dt_use(NULL);
		}
	free(fdt);
	free(base);
}

/*
 * Aliases as libfdt resolves them since dtc 79b9e32: an absolute path,
 * NUL-terminated, else -FDT_ERR_BADPATH (libfdt 1.6.1 recursed on "self" until
 * the stack overflowed: seen crashing the old lookups), indexed or not.
 */
static void test_aliases(void **state)
{
	(void)state;

	for (int big = 0; big < 2; big++) {
		void *fdt = virt_like_tree(big ? 300 : 4);
		int aliases = fdt_path_offset(fdt, "/aliases");
		char *copy;

		CHECK(fdt_open_into(fdt, fdt, TREE_SIZE));
		CHECK(fdt_setprop_string(fdt, aliases, "self", "self"));
		CHECK(fdt_setprop_string(fdt, aliases, "rel", "serial0"));
		CHECK(fdt_setprop(fdt, aliases, "unterminated", "/a/deep", 7));
		CHECK(fdt_setprop_string(fdt, aliases, "deep", "/a/deep"));
		CHECK(fdt_setprop(fdt, aliases, "empty", "", 0));
		CHECK(fdt_pack(fdt));
		copy = exact_copy(fdt);
		dt_use(copy);
		assert_int_equal(dt_index_in_use(), !big);
		assert_int_equal(dt_path_offset("serial0"), fdt_path_offset(copy, "serial0"));
		assert_int_equal(dt_path_offset("deep"), fdt_path_offset(copy, "/a/deep"));
		assert_int_equal(dt_path_offset("deep/deeper"),
				 fdt_path_offset(copy, "/a/deep/deeper"));
		assert_int_equal(dt_path_offset("deep//deeper/"),
				 fdt_path_offset(copy, "/a/deep/deeper"));
		assert_int_equal(dt_path_offset("deep/nosuch"), -FDT_ERR_NOTFOUND);
		assert_int_equal(dt_path_offset("self"), -FDT_ERR_BADPATH);
		assert_int_equal(dt_path_offset("rel"), -FDT_ERR_BADPATH);
		assert_int_equal(dt_path_offset("unterminated"), -FDT_ERR_BADPATH);
		assert_int_equal(dt_path_offset("empty"), -FDT_ERR_BADPATH);
		assert_int_equal(dt_path_offset("nosuch"), -FDT_ERR_BADPATH);
		assert_int_equal(dt_path_offset("/deep"), -FDT_ERR_NOTFOUND);
		dt_use(NULL);
		free(copy);
		free(fdt);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_virt_dtb),  cmocka_unit_test(test_odd_but_walkable),
		cmocka_unit_test(test_property_order), cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_depth_limit),    cmocka_unit_test(test_refused),
		cmocka_unit_test(test_every_word),     cmocka_unit_test(test_aliases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
