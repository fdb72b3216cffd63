/* SPDX-License-Identifier: MIT */
/*
 * Secondary-OS loader: fetch kernel, initrd and command line from fw_cfg,
 * validate and place the Image, write /chosen into a copy of the DTB, quiesce
 * DMA, clean caches and jump with the MMU off (booting.rst).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "arch/aarch64/cache.h"
#include "arch/aarch64/sysreg.h"
#include "lib/arm64_image.h"
#include "platform/fw_cfg.h"
#include "platform/platform.h"
#include "runner/secondary.h"
#include "testrunner/protocol.h"
#include "virtio/console.h"
#include "virtio/mmio.h"

/* What our /chosen edits may add beyond the command line: two u64 props, names. */
#define DTB_SLACK 4096

static char cmdline[SECONDARY_CMDLINE_MAX];
static uint8_t image_hdr[ARM64_IMAGE_HDR_SIZE] __attribute__((aligned(8)));
static struct vcons_port *channel;

/* Send @len bytes of text as log frames; on a channel error the UART copy is all. */
static void channel_log(const char *text, size_t len)
{
	uint8_t frame[PROTO_FRAME_SIZE];
	size_t n;
	int ret;

	while (channel && len) {
		n = proto_encode_log(frame, text, len);
		ret = vcons_port_write(channel, frame, sizeof(frame));
		if (ret < 0) {
			static const char msg[] = "secondary: testrunner0 write failed\n";

			uart_write(msg, sizeof(msg) - 1);
			channel = NULL;
			return;
		}
		text += n;
		len -= n;
	}
}

/* One line "secondary: ..." on the UART, and as a KTAP diagnostic on testrunner0. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	memcpy(line, "# ", 2);
	n = snprintf(line + 2, sizeof(line) - 3, "secondary: ");
	va_start(ap, fmt);
	n += vsnprintf(line + 2 + n, sizeof(line) - 3 - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 3)
		n = sizeof(line) - 3;
	line[2 + n] = '\n';
	uart_write(line + 2, (size_t)n + 1);
	channel_log(line, (size_t)n + 3);
}

static int refuse(int err, const char *what)
{
	say("refused: %s (error %d)", what, err);
	if (channel && vcons_port_flush(channel) < 0)
		uart_puts("secondary: testrunner0 flush failed\n");
	return err;
}

/* Read the optional command line item into cmdline[]: 1 when given, 0 when absent. */
static int load_cmdline(size_t *len)
{
	struct fw_cfg_file f;
	int ret;

	*len = 0;
	cmdline[0] = '\0';
	ret = fw_cfg_find_file(PROTO_FW_CFG_CMDLINE, &f);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return refuse(ret, "fw_cfg file directory unreadable");
	if (f.size >= SECONDARY_CMDLINE_MAX)
		return refuse(-E2BIG, "command line longer than the kernel's 2047 bytes");
	ret = fw_cfg_read_file(&f, 0, cmdline, f.size);
	if (ret < 0)
		return refuse(ret, "command line unreadable through fw_cfg");
	cmdline[f.size] = '\0';
	if (strlen(cmdline) != f.size)
		return refuse(-EINVAL, "command line contains a NUL byte");
	*len = f.size;
	/* a command line written to a file usually ends with a newline */
	while (*len && (cmdline[*len - 1] == '\n' || cmdline[*len - 1] == '\r'))
		cmdline[--*len] = '\0';
	return 1;
}

/* Write /chosen into the DTB copy at @dtb (@size bytes of room), then pack it. */
static int edit_chosen(void *dtb, size_t size, const struct arm64_layout *l, bool have_cmdline)
{
	int chosen, ret;

	ret = fdt_open_into(dt_blob(), dtb, (int)size);
	if (ret < 0)
		return ret;
	chosen = fdt_path_offset(dtb, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(dtb, 0, "chosen");
	if (chosen < 0)
		return chosen;
	if (have_cmdline) {
		ret = fdt_setprop_string(dtb, chosen, "bootargs", cmdline);
		if (ret < 0)
			return ret;
	}
	if (l->initrd_end > l->initrd_start) {
		ret = fdt_setprop_u64(dtb, chosen, "linux,initrd-start", l->initrd_start);
		if (ret == 0)
			ret = fdt_setprop_u64(dtb, chosen, "linux,initrd-end", l->initrd_end);
	} else {
		/* whatever an earlier loader left there no longer describes RAM we set up */
		ret = fdt_delprop(dtb, chosen, "linux,initrd-start");
		if (ret == 0 || ret == -FDT_ERR_NOTFOUND)
			ret = fdt_delprop(dtb, chosen, "linux,initrd-end");
		if (ret == -FDT_ERR_NOTFOUND)
			ret = 0;
	}
	if (ret < 0)
		return ret;
	return fdt_pack(dtb);
}

/*
 * booting.rst: quiesce all DMA capable devices. Our virtio queues live in
 * RAM the new OS will reuse, and QEMU still writes control messages (e.g.
 * PORT_OPEN 0 when the host hangs up) into posted buffers: reset every
 * virtio-mmio device so that it forgets our rings. testrunner0 goes with
 * them, so a device that will not reset can only be reported on the UART,
 * and the kernel must not start with it still writing into its memory.
 */
static void quiesce_virtio(void)
{
	char line[96];
	int ret, n;

	channel = NULL;
	ret = virtio_mmio_reset_all();
	if (!ret)
		return;
	n = snprintf(line, sizeof(line),
		     "secondary: virtio reset failed (error %d): kernel not started\n", ret);
	if (n > 0)
		uart_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	psci_system_off();
}

static const char *page_size_name(enum arm64_page_size p)
{
	static const char *const names[] = { "unspecified", "4K", "16K", "64K" };

	return names[p & 3];
}

int secondary_boot(void)
{
	struct fw_cfg_file kernel, initrd;
	struct arm64_image img;
	struct arm64_layout_req req = { 0 };
	struct arm64_layout l;
	const void *fdt = dt_blob();
	const char *why = NULL;
	uintptr_t free_start, free_end;
	size_t cmdline_len;
	bool have_cmdline;
	int ret;

	channel = vcons_find_port(PROTO_PORT_NAME);

	ret = fw_cfg_init();
	if (ret < 0)
		return refuse(ret, "no fw_cfg device with the DMA interface "
				   "(DT compatible \"qemu,fw-cfg-mmio\")");
	ret = fw_cfg_find_file(PROTO_FW_CFG_KERNEL, &kernel);
	if (ret == -ENOENT)
		return refuse(ret,
			      "no kernel: fw_cfg has no " PROTO_FW_CFG_KERNEL
			      " (start QEMU with -fw_cfg name=" PROTO_FW_CFG_KERNEL ",file=Image)");
	if (ret < 0)
		return refuse(ret, "fw_cfg file directory unreadable");

	ret = fw_cfg_read_file(&kernel, 0, image_hdr,
			       kernel.size < sizeof(image_hdr) ? kernel.size : sizeof(image_hdr));
	if (ret < 0)
		return refuse(ret, "kernel header unreadable through fw_cfg");
	ret = arm64_image_parse(image_hdr,
				kernel.size < sizeof(image_hdr) ? kernel.size : sizeof(image_hdr),
				kernel.size, &img, &why);
	if (ret < 0)
		return refuse(ret, why);
	ret = arm64_image_check_granule(&img, read_sysreg(id_aa64mmfr0_el1), &why);
	if (ret < 0)
		return refuse(ret, why);

	ret = fw_cfg_find_file(PROTO_FW_CFG_INITRD, &initrd);
	if (ret == -ENOENT)
		initrd.size = 0;
	else if (ret < 0)
		return refuse(ret, "fw_cfg file directory unreadable");
	ret = load_cmdline(&cmdline_len);
	if (ret < 0)
		return ret;
	have_cmdline = ret > 0;

	/* the largest free range: off the runner wherever it runs, and off every reservation */
	ram_free_range(&free_start, &free_end);
	ret = dt_memory_at(free_start, &req.ram_base, &req.ram_size);
	if (ret < 0)
		return refuse(ret, "no /memory node in the device tree");
	req.free_start = free_start;
	req.free_end = free_end;
	/* the DTB QEMU gave us is read by edit_chosen() after the kernel is loaded */
	arm64_free_exclude(&req.free_start, &req.free_end, (uintptr_t)fdt, fdt_totalsize(fdt));
	req.initrd_size = initrd.size;
	req.dtb_size = (fdt_totalsize(fdt) + cmdline_len + DTB_SLACK + 7) & ~7ull;
	ret = arm64_image_place(&img, &req, &l, &why);
	if (ret < 0) {
		char what[160];

		snprintf(what, sizeof(what),
			 "%s (image_size %llu MiB, initrd %llu KiB, "
			 "free RAM %llu MiB)",
			 why, (unsigned long long)(img.image_size >> 20),
			 (unsigned long long)(req.initrd_size >> 10),
			 (unsigned long long)((req.free_end - req.free_start) >> 20));
		return refuse(ret, what);
	}

	ret = fw_cfg_read_file(&kernel, 0, (void *)(uintptr_t)l.kernel_entry, kernel.size);
	if (ret < 0)
		return refuse(ret, "kernel unreadable through fw_cfg");
	if (initrd.size) {
		ret = fw_cfg_read_file(&initrd, 0, (void *)(uintptr_t)l.initrd_start, initrd.size);
		if (ret < 0)
			return refuse(ret, "initrd unreadable through fw_cfg");
	}
	ret = edit_chosen((void *)(uintptr_t)l.dtb, req.dtb_size, &l, have_cmdline);
	if (ret < 0)
		return refuse(-EINVAL, fdt_strerror(ret));

	say("kernel %lu bytes at 0x%llx (base 0x%llx, image_size 0x%llx, %s pages%s)",
	    (unsigned long)kernel.size, (unsigned long long)l.kernel_entry,
	    (unsigned long long)l.kernel_base, (unsigned long long)img.image_size,
	    page_size_name(img.page_size), img.legacy ? ", pre-3.17 header" : "");
	if (initrd.size)
		say("initrd %lu bytes at 0x%llx-0x%llx", (unsigned long)initrd.size,
		    (unsigned long long)l.initrd_start, (unsigned long long)l.initrd_end);
	say("bootargs \"%s\"%s", cmdline, have_cmdline ? "" : " (none given)");
	say("jumping to 0x%llx with x0=0x%llx (dtb, %u bytes)", (unsigned long long)l.kernel_entry,
	    (unsigned long long)l.dtb, (unsigned int)fdt_totalsize((void *)(uintptr_t)l.dtb));
	if (channel) {
		ret = vcons_port_flush(channel);
		if (ret < 0)
			return refuse(ret, "testrunner0 flush failed");
	}

	quiesce_virtio();
	dcache_clean_inval_poc(l.kernel_entry, kernel.size);
	if (initrd.size)
		dcache_clean_inval_poc(l.initrd_start, initrd.size);
	dcache_clean_inval_poc(l.dtb, fdt_totalsize((void *)(uintptr_t)l.dtb));
	arch_boot_kernel(l.kernel_entry, l.dtb);
}
