/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/*
 * The DT index (dt_lookup.c) from one walk over the structure block's tokens
 * (Devicetree spec v0.4 5.4: big-endian 32-bit words, FDT_BEGIN_NODE with
 * its name, FDT_PROP with len and nameoff, FDT_END_NODE, FDT_NOP, FDT_END).
 * libfdt's fdt_next_node, property iterators and fdt_getprop_by_offset cost
 * ~2 ms for QEMU's DT in TCG: bytewise loads and the bounds checked again on
 * every call. Here each word is one load, checked once, and a property name
 * is compared once per string-block offset (nameoff), not per property.
 *
 * The blob is only header-checked: every token is bounded exactly as libfdt
 * 1.6.1's fdt_next_tag bounds it, so the walk sees the tokens libfdt sees,
 * and indexes only a tree whose shape leaves no room for libfdt to answer
 * differently. Anything else is left to libfdt, unless libfdt could never
 * get past it (a property length that brings fdt_next_tag back to the same
 * tag: fixed after 1.6.1 by dtc commit 7359034): that tree is refused.
 */
#include <libfdt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "platform/dt_index.h"

/* Property names the index keeps (a name class), and bits of what a node had. */
enum { NAME_OTHER, NAME_COMPATIBLE, NAME_PHANDLE, NAME_LINUX_PHANDLE, NAME_DEVICE_TYPE, NAMES };
#define SEEN_PHANDLE_OK (1U << NAMES) /* a 4-byte "phandle" decided the phandle */

static const char *const name_of[NAMES] = {
	[NAME_COMPATIBLE] = "compatible",
	[NAME_PHANDLE] = "phandle",
	[NAME_LINUX_PHANDLE] = "linux,phandle",
	[NAME_DEVICE_TYPE] = "device_type",
};

/* nameoff -> class, direct-mapped: QEMU's virt DT has ~50 distinct names. */
#define NAME_CACHE_BITS 6
#define NAME_CACHE	(1U << NAME_CACHE_BITS)

struct walk {
	const char *st, *strings; /* the structure and strings blocks */
	uint32_t lim;		  /* bytes of the structure block libfdt reads */
	uint32_t strings_size;
	uint32_t version;
	uint32_t cache_off[NAME_CACHE];
	uint8_t cache_class[NAME_CACHE];
};

/* A big-endian word: one load (aligned when the block is), no libc call. */
static inline uint32_t ld32(const char *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

/* A header field, read as the walk reads words (not libfdt's bytewise fdt32_ld). */
#define HDR(fdt, field) ld32((const char *)(fdt) + offsetof(struct fdt_header, field))

/* fdt_offset_ptr's check: @len bytes at @off lie in the structure block. */
static bool in_struct(const struct walk *w, uint32_t off, uint32_t len)
{
	return len <= w->lim && off <= w->lim - len;
}

/* A NUL byte in a word (any byte order): the classic zero-byte test. */
static bool has_nul(uint32_t v)
{
	return ((v - 0x01010101U) & ~v & 0x80808080U) != 0;
}

/*
 * fdt_next_tag (libfdt 1.6.1) at @off, a multiple of 4: the tag and in
 * *@next the next tag's offset, or FDT_END with *@next = 0 where libfdt's
 * walk ends early (no room for the token, unterminated name, unknown tag).
 */
static uint32_t next_tag(const struct walk *w, uint32_t off, uint32_t *next)
{
	uint32_t tag, len, o = off + 4;

	*next = 0;
	if (!in_struct(w, off, 4))
		return FDT_END;
	tag = ld32(w->st + off);
	switch (tag) {
	case FDT_BEGIN_NODE:
		/*
		 * The name, word by word: libfdt accepts a NUL in a last partial
		 * word too, but then finds no room for the next tag either.
		 */
		do {
			if (!in_struct(w, o, 4))
				return FDT_END;
			o += 4;
		} while (!has_nul(ld32(w->st + o - 4)));
		break;
	case FDT_PROP:
		if (!in_struct(w, o, 4))
			return FDT_END;
		len = ld32(w->st + o);
		o += 8 + len; /* wraps as libfdt's does */
		if (w->version < 0x10 && len >= 8 && (o - len) % 8)
			o += 4;
		break;
	case FDT_END:
	case FDT_END_NODE:
	case FDT_NOP:
		break;
	default:
		return FDT_END;
	}
	if (!in_struct(w, off, o - off))
		return FDT_END;
	*next = (o + 3) & ~3U;
	return tag;
}

/* What the string at @nameoff is, as fdt_get_string and fdt_string_eq_ see it. */
static unsigned int name_class(struct walk *w, uint32_t nameoff)
{
	unsigned int slot = (nameoff * 2654435761U) >> (32 - NAME_CACHE_BITS);
	unsigned int c = NAME_OTHER;
	const char *s;

	if (w->cache_off[slot] == nameoff)
		return w->cache_class[slot];
	/* unterminated or outside the block: libfdt matches no name there */
	s = nameoff < w->strings_size ? w->strings + nameoff : NULL;
	if (s && memchr(s, '\0', w->strings_size - nameoff))
		for (c = NAMES - 1; c > NAME_OTHER && strcmp(s, name_of[c]); c--)
			;
	w->cache_off[slot] = nameoff;
	w->cache_class[slot] = (uint8_t)c;
	return c;
}

/*
 * A property of the node @e, in the order libfdt's fdt_getprop finds them:
 * the first of each name counts; fdt_get_phandle's rule for the phandle.
 */
static void index_prop(struct walk *w, struct dt_index *e, uint32_t off, unsigned int *seen)
{
	uint32_t len = ld32(w->st + off + 4);
	const char *v = w->st + off + 12;
	unsigned int c = name_class(w, ld32(w->st + off + 8));

	if (c == NAME_OTHER || (*seen & (1U << c)))
		return;
	*seen |= 1U << c;
	if (c == NAME_COMPATIBLE) {
		e->compat = v;
		e->compat_len = (int)len;
	} else if (c == NAME_DEVICE_TYPE) {
		e->memory = len == sizeof("memory") && !memcmp(v, "memory", sizeof("memory"));
	} else if (len == sizeof(fdt32_t) && (c == NAME_PHANDLE || !(*seen & SEEN_PHANDLE_OK))) {
		e->phandle = ld32(v);
		if (c == NAME_PHANDLE)
			*seen |= SEEN_PHANDLE_OK;
	}
}

int dt_index_build(const void *fdt, struct dt_index *out, int max)
{
	struct walk w;
	struct dt_index *e = NULL;
	int stack[DT_DEPTH_MAX], depth = 0, n = 0;
	uint32_t off, next = 0, tag;
	unsigned int seen = 0;
	bool ok, props = false;

	if (fdt_check_header(fdt) != 0)
		return DT_WALK_UNSAFE;
	w.st = (const char *)fdt + HDR(fdt, off_dt_struct);
	w.strings = (const char *)fdt + HDR(fdt, off_dt_strings);
	w.strings_size = HDR(fdt, size_dt_strings);
	w.version = HDR(fdt, version);
	/* fdt_check_header: the blocks lie within totalsize */
	w.lim = w.version >= 17 ? HDR(fdt, size_dt_struct)
				: HDR(fdt, totalsize) - HDR(fdt, off_dt_struct);
	/* empty slots: a nameoff > INT_MAX, which names nothing (NAME_OTHER) */
	memset(w.cache_off, 0xff, sizeof(w.cache_off));
	memset(w.cache_class, NAME_OTHER, sizeof(w.cache_class));
	/* before v17 no header field bounds the strings block */
	ok = w.version >= 17;

	for (off = 0;; off = next) {
		tag = next_tag(&w, off, &next);
		if (tag == FDT_END)
			break;
		if (next == off) /* fdt_next_node would loop on this tag forever */
			return DT_WALK_UNSAFE;
		switch (tag) {
		case FDT_BEGIN_NODE:
			/* one root, at 0 (fdt_path_offset starts there), and room */
			ok = ok && (depth > 0 || off == 0) && depth < DT_DEPTH_MAX && n < max;
			if (ok) {
				e = &out[n];
				e->node = (int)off;
				e->parent = depth ? out[stack[depth - 1]].node : -FDT_ERR_NOTFOUND;
				e->namelen = (int)(next - off - 8);
				while (w.st[off + 4 + e->namelen]) /* the NUL is in the last word */
					e->namelen++;
				e->phandle = 0;
				e->compat = NULL;
				e->compat_len = -1;
				e->memory = false;
				stack[depth] = n++;
			}
			depth++;
			props = true;
			seen = 0;
			break;
		case FDT_END_NODE:
			ok = ok && depth > 0;
			depth -= depth > 0;
			/* a property after a subnode is not its parent's for libfdt */
			props = false;
			break;
		case FDT_PROP:
			/* a length that wrapped puts the value outside the property */
			ok = ok && depth > 0 && ld32(w.st + off + 4) <= UINT32_MAX - 12;
			if (ok && props)
				index_prop(&w, e, off, &seen);
			break;
		}
	}
	/* an FDT_END token that closes the tree, not the end of the block */
	return ok && next && depth == 0 && n > 0 ? n : DT_WALK_LIBFDT;
}

/*
 * fdt_getprop for a node of a tree dt_index_build indexed: its walk checked
 * every token, so the node's properties are read without checks again,
 * but for the name's string: fdt_string_eq_'s rule, the @n bytes of @name
 * and a NUL within the strings block.
 */
const void *dt_index_getprop(const void *fdt, int node, const char *name, size_t n, int *lenp)
{
	const char *st = (const char *)fdt + HDR(fdt, off_dt_struct);
	const char *strings = (const char *)fdt + HDR(fdt, off_dt_strings);
	uint32_t size = HDR(fdt, size_dt_strings), off = (uint32_t)node + 4, step, len, nameoff;

	while (!has_nul(ld32(st + off)))
		off += 4;
	for (off += 4;; off += step) {
		uint32_t tag = ld32(st + off);

		step = 4;
		if (tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP)
			break;
		len = ld32(st + off + 4);
		step = (12 + len + 3) & ~3U;
		nameoff = ld32(st + off + 8);
		if (nameoff < size && size - nameoff > n && !memcmp(strings + nameoff, name, n) &&
		    !strings[nameoff + n]) {
			if (lenp)
				*lenp = (int)len;
			return st + off + 12;
		}
	}
	if (lenp)
		*lenp = -FDT_ERR_NOTFOUND;
	return NULL;
}
