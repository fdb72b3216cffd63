/* SPDX-License-Identifier: MIT */
/* Arm exception syndromes and PSTATE in words, field layouts as the Arm ARM gives them. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "reports/arm_decode.h"

#define BITS(v, hi, lo) ((unsigned int)(((v) >> (lo)) & ((1ULL << ((hi) - (lo) + 1)) - 1)))
#define BIT(v, b)	BITS(v, b, b)

/* Exception classes with a name; any other is "exception class 0xNN". */
static const char *const class_names[64] = {
	[0x00] = "undefined instruction (unknown reason)",
	[0x01] = "trapped WFI or WFE",
	[0x03] = "trapped AArch32 MCR or MRC (coprocessor 15)",
	[0x04] = "trapped AArch32 MCRR or MRRC (coprocessor 15)",
	[0x05] = "trapped AArch32 MCR or MRC (coprocessor 14)",
	[0x06] = "trapped AArch32 LDC or STC",
	[0x07] = "trapped SVE, SIMD or floating-point access",
	[0x0c] = "trapped AArch32 MRRC (coprocessor 14)",
	[0x0d] = "branch target exception",
	[0x0e] = "illegal execution state",
	[0x11] = "SVC in AArch32",
	[0x15] = "SVC in AArch64",
	[0x16] = "HVC in AArch64",
	[0x17] = "SMC in AArch64",
	[0x18] = "trapped MSR, MRS or system instruction",
	[0x19] = "trapped SVE access",
	[0x1c] = "pointer authentication failure",
	[0x20] = "instruction abort from a lower EL",
	[0x21] = "instruction abort taken without a change in EL",
	[0x22] = "PC alignment fault",
	[0x24] = "data abort from a lower EL",
	[0x25] = "data abort taken without a change in EL",
	[0x26] = "SP alignment fault",
	[0x28] = "trapped AArch32 floating-point exception",
	[0x2c] = "trapped AArch64 floating-point exception",
	[0x2f] = "SError interrupt",
	[0x30] = "breakpoint from a lower EL",
	[0x31] = "breakpoint taken without a change in EL",
	[0x32] = "software step from a lower EL",
	[0x33] = "software step taken without a change in EL",
	[0x34] = "watchpoint from a lower EL",
	[0x35] = "watchpoint taken without a change in EL",
	[0x38] = "BKPT in AArch32",
	[0x3c] = "BRK in AArch64",
};

const char *esr_class_name(unsigned int ec)
{
	return ec < 64 ? class_names[ec] : NULL;
}

/* snprintf that appends at *len and keeps counting past the end of @buf. */
static void add(char *buf, size_t n, int *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t n, int *len, const char *fmt, ...)
{
	size_t at = (size_t)*len < n ? (size_t)*len : n;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf + at, n - at, fmt, ap);
	va_end(ap);
	if (r > 0)
		*len += r;
}

int esr_fault_status(unsigned int fsc, char *buf, size_t n)
{
	static const char *const levelled[] = { "address size fault", "translation fault",
						"access flag fault", "permission fault" };
	int len = 0;

	if (n)
		buf[0] = '\0';
	if (fsc < 0x10)
		add(buf, n, &len, "%s, level %u", levelled[fsc >> 2], fsc & 3);
	else if (fsc >= 0x14 && fsc <= 0x17)
		add(buf, n, &len,
		    "synchronous external abort on a translation table walk, level %u", fsc & 3);
	else if (fsc >= 0x1c && fsc <= 0x1f)
		add(buf, n, &len, "parity or ECC error on a translation table walk, level %u",
		    fsc & 3);
	else {
		const char *s;

		switch (fsc) {
		case 0x10:
			s = "synchronous external abort";
			break;
		case 0x11:
			s = "synchronous tag check fault";
			break;
		case 0x13:
			s = "synchronous external abort on a translation table walk, level -1";
			break;
		case 0x18:
			s = "parity or ECC error on a memory access";
			break;
		case 0x21:
			s = "alignment fault";
			break;
		case 0x29:
			s = "address size fault, level -1";
			break;
		case 0x2b:
			s = "translation fault, level -1";
			break;
		case 0x30:
			s = "TLB conflict abort";
			break;
		case 0x31:
			s = "unsupported atomic hardware update";
			break;
		case 0x34:
			s = "implementation defined fault (lockdown)";
			break;
		case 0x35:
			s = "unsupported exclusive or atomic access";
			break;
		default:
			s = NULL;
		}
		if (s)
			add(buf, n, &len, "%s", s);
		else
			add(buf, n, &len, "fault status 0x%02x", fsc);
	}
	return len;
}

static void abort_iss(char *buf, size_t n, int *len, unsigned int ec, unsigned int iss)
{
	bool data = ec == 0x24 || ec == 0x25;
	char fs[96];

	esr_fault_status(BITS(iss, 5, 0), fs, sizeof(fs));
	add(buf, n, len, ": %s", fs);
	/* a cache maintenance instruction reports as a write */
	if (data && BIT(iss, 8))
		add(buf, n, len, "; cache maintenance");
	else if (data)
		add(buf, n, len, "; %s", BIT(iss, 6) ? "write" : "read");
	if (data && BIT(iss, 24)) {
		static const char *const size[] = { "1-byte", "2-byte", "4-byte", "8-byte" };

		add(buf, n, len, "; %s access, register %s%u", size[BITS(iss, 23, 22)],
		    BIT(iss, 15) ? "x" : "w", BITS(iss, 20, 16));
	}
	if (BIT(iss, 7))
		add(buf, n, len, "; on the stage 1 translation table walk");
	if (BIT(iss, 9))
		add(buf, n, len, "; external abort");
	add(buf, n, len, "; FAR %s", BIT(iss, 10) ? "not valid" : "valid");
}

static void sysreg_iss(char *buf, size_t n, int *len, unsigned int iss)
{
	bool read = BIT(iss, 0);

	add(buf, n, len, ": %s S%u_%u_C%u_C%u_%u, x%u", read ? "MRS" : "MSR", BITS(iss, 21, 20),
	    BITS(iss, 16, 14), BITS(iss, 13, 10), BITS(iss, 4, 1), BITS(iss, 19, 17),
	    BITS(iss, 9, 5));
}

int esr_describe(uint64_t esr, char *buf, size_t n)
{
	static const char *const wfx[] = { "WFI", "WFE", "WFIT", "WFET" };
	unsigned int ec = BITS(esr, 31, 26), iss = BITS(esr, 24, 0);
	const char *name = esr_class_name(ec);
	int len = 0;

	if (n)
		buf[0] = '\0';
	if (name)
		add(buf, n, &len, "%s (EC 0x%02x)", name, ec);
	else
		add(buf, n, &len, "exception class 0x%02x", ec);
	switch (ec) {
	case 0x01:
		add(buf, n, &len, ": %s", wfx[BITS(iss, 1, 0)]);
		break;
	case 0x11:
	case 0x15:
	case 0x16:
	case 0x17:
	case 0x38:
	case 0x3c:
		add(buf, n, &len, ": immediate 0x%x", BITS(iss, 15, 0));
		break;
	case 0x18:
		sysreg_iss(buf, n, &len, iss);
		break;
	case 0x20:
	case 0x21:
	case 0x24:
	case 0x25:
		abort_iss(buf, n, &len, ec, iss);
		break;
	case 0x2f:
		if (BIT(iss, 24))
			add(buf, n, &len, ": implementation defined syndrome 0x%x",
			    BITS(iss, 23, 0));
		else if (BITS(iss, 5, 0) == 0x11)
			add(buf, n, &len, ": asynchronous SError, error type %u",
			    BITS(iss, 12, 10));
		else
			add(buf, n, &len, ": uncategorized");
		break;
	case 0x34:
	case 0x35:
		add(buf, n, &len, ": %s", BIT(iss, 6) ? "write" : "read");
		break;
	default:
		if (iss)
			add(buf, n, &len, ": ISS 0x%x", iss);
	}
	return len;
}

int pstate_describe(uint64_t pstate, char *buf, size_t n)
{
	static const char *const mode[16] = {
		[0x0] = "EL0t", [0x4] = "EL1t", [0x5] = "EL1h", [0x8] = "EL2t",
		[0x9] = "EL2h", [0xc] = "EL3t", [0xd] = "EL3h",
	};
	unsigned int m = BITS(pstate, 3, 0), daif = BITS(pstate, 9, 6);
	int len = 0;

	if (n)
		buf[0] = '\0';
	if (BIT(pstate, 4))
		add(buf, n, &len, "AArch32 mode 0x%x", BITS(pstate, 4, 0));
	else if (mode[m])
		add(buf, n, &len, "%s", mode[m]);
	else
		add(buf, n, &len, "mode 0x%x", m);
	add(buf, n, &len, ", NZCV %u%u%u%u", BIT(pstate, 31), BIT(pstate, 30), BIT(pstate, 29),
	    BIT(pstate, 28));
	if (daif)
		add(buf, n, &len, ", masked%s%s%s%s", daif & 8 ? " D" : "", daif & 4 ? " A" : "",
		    daif & 2 ? " I" : "", daif & 1 ? " F" : "");
	return len;
}
