/* SPDX-License-Identifier: MIT */
/* QEMU 7.2's `info registers` and `x` output parsed (target/arm/cpu.c, monitor/misc.c). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/monitor_text.h"
#include "protocol/hex.h"

/* Exactly @digits hex digits at @p, then a non-hex character: the value. */
static bool hex_field(const char *p, int digits, uint64_t *v)
{
	*v = 0;
	for (int i = 0; i < digits; i++) {
		int h = hex_digit(p[i]);

		if (h < 0)
			return false;
		*v = *v << 4 | (uint64_t)h;
	}
	return hex_digit(p[digits]) < 0;
}

/* "KEY=" as a word of @text (at its start or after a space/newline): what follows it. */
static const char *find_key(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = strstr(text, key); p; p = strstr(p + 1, key))
		if ((p == text || p[-1] == ' ' || p[-1] == '\n') && p[n] == '=')
			return p + n + 1;
	return NULL;
}

static bool reg(const char *text, const char *key, int digits, uint64_t *v)
{
	const char *p = find_key(text, key);

	return p && hex_field(p, digits, v);
}

/* After "PSTATE=xxxxxxxx NZCV ": an optional "NS "/"S " (EL3 present), then "ELnh"/"ELnt". */
static bool parse_mode(const char *text, char *el, size_t len)
{
	const char *p = find_key(text, "PSTATE");

	if (!p || strlen(p) < 14 || p[8] != ' ' || p[13] != ' ')
		return false;
	for (int i = 9; i < 13; i++)
		if (!strchr("NZCV-", p[i]))
			return false;
	p += 14;
	if (!strncmp(p, "NS ", 3))
		p += 3;
	else if (!strncmp(p, "S ", 2))
		p += 2;
	if (strncmp(p, "EL", 2) || p[2] < '0' || p[2] > '3' || (p[3] != 'h' && p[3] != 't'))
		return false;
	snprintf(el, len, "%.4s", p);
	return true;
}

int monitor_parse_registers(const char *text, struct cpu_regs *r)
{
	const char *cpu = strstr(text, "CPU#");
	char *end;
	long n;

	memset(r, 0, sizeof(*r));
	if (!cpu)
		return -EPROTO;
	n = strtol(cpu + 4, &end, 10);
	if (end == cpu + 4 || n < 0 || n > 4095)
		return -EPROTO;
	r->cpu = (int)n;
	if (!reg(text, "PC", 16, &r->pc) || !reg(text, "SP", 16, &r->sp) ||
	    !reg(text, "X29", 16, &r->x29) || !reg(text, "X30", 16, &r->x30) ||
	    !reg(text, "PSTATE", 8, &r->pstate) || !parse_mode(text, r->el, sizeof(r->el)))
		return -EPROTO;
	return 0;
}

int monitor_parse_words(const char *text, uint64_t addr, uint64_t *w, size_t n)
{
	const char *p = text;
	size_t got = 0;

	if (strstr(text, "Cannot access memory"))
		return -EFAULT;
	while (got < n) {
		uint64_t at;

		while (*p == '\r' || *p == '\n')
			p++;
		/* "%016" PRIx64 ":" the line's first address */
		if (!hex_field(p, 16, &at) || p[16] != ':' || at != addr + 8 * got)
			return -EPROTO;
		p += 17;
		while (got < n && p[0] == ' ' && p[1] == '0' && p[2] == 'x') {
			if (!hex_field(p + 3, 16, &w[got]))
				return -EPROTO;
			got++;
			p += 19;
		}
		if (*p != '\r' && *p != '\n' && *p != '\0')
			return -EPROTO;
		if (!*p && got < n)
			return -EPROTO;
	}
	return 0;
}
