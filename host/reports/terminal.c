/* SPDX-License-Identifier: MIT */
/* The status line, the serial console's lines and colour on the terminal (stderr). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "protocol/escape.h"
#include "reports/terminal.h"
#include "system/out_queue.h"

/* When the width is unknown (not a terminal, or it will not say). */
#define DEFAULT_COLUMNS 80

bool term_colour_wanted(enum term_colour_mode mode, bool tty, const char *no_color,
			const char *term)
{
	if (mode != TERM_COLOUR_AUTO)
		return mode == TERM_COLOUR_ALWAYS;
	/* no-color.org: set and not empty; an explicit --color still wins */
	if (no_color && *no_color)
		return false;
	return term_status_wanted(tty, term);
}

bool term_status_wanted(bool tty, const char *term)
{
	return tty && !(term && !strcmp(term, "dumb"));
}

int term_init(struct term *t, FILE *f, size_t n_slots, bool status, bool colour)
{
	memset(t, 0, sizeof(*t));
	t->f = f;
	t->status = status;
	t->colour = colour;
	t->n_slots = n_slots ? n_slots : 1;
	t->tag = t->n_slots > 1;
	t->slots = calloc(t->n_slots, sizeof(*t->slots));
	return t->slots ? 0 : -ENOMEM;
}

void term_free(struct term *t)
{
	free(t->slots);
	t->slots = NULL;
	t->n_slots = 0;
}

const char *term_sgr(const struct term *t, const char *sgr)
{
	return t->colour ? sgr : "";
}

/*
 * Spaces over what was drawn, not ESC [K: with colour off (NO_COLOR) the
 * output holds no escape sequence at all, and a dumb pager shows it right.
 */
void term_hide(struct term *t)
{
	if (!t->shown)
		return;
	fprintf(t->f, "\r%*s\r", (int)t->shown, "");
	fflush(t->f);
	t->shown = 0;
	t->next_tick = 0;
}

static unsigned int columns(const struct term *t)
{
	struct winsize ws;
	int fd = fileno(t->f);

	if (t->columns)
		return t->columns;
	if (fd >= 0 && !ioctl(fd, TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	return DEFAULT_COLUMNS;
}

/* Append to @buf (of @cap) what fits; the line stays NUL-terminated. */
__attribute__((format(printf, 4, 5))) static void add(char *buf, size_t cap, size_t *len,
						      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len + 1 >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

/* "3/10 | [1] suite.case 2s/120s | [2] ...", cut to the terminal's width less one. */
static size_t compose(const struct term *t, char *buf, size_t cap, uint64_t now)
{
	size_t len = 0;

	buf[0] = '\0';
	if (t->total)
		add(buf, cap, &len, "%zu/%zu", t->done, t->total);
	else
		add(buf, cap, &len, "%zu done", t->done);
	for (size_t i = 0; i < t->n_slots; i++) {
		const struct term_slot *s = &t->slots[i];
		unsigned long secs = (unsigned long)((now - s->started) / 1000);

		if (!s->test[0])
			continue;
		add(buf, cap, &len, " | ");
		if (t->tag)
			add(buf, cap, &len, "[%zu] ", i + 1);
		add(buf, cap, &len, "%s %lus", s->test, secs);
		if (s->timeout_ms)
			add(buf, cap, &len, "/%gs", s->timeout_ms / 1000.0);
	}
	return len;
}

static bool running(const struct term *t)
{
	for (size_t i = 0; i < t->n_slots; i++)
		if (t->slots[i].test[0])
			return true;
	return false;
}

void term_show(struct term *t, uint64_t now)
{
	char line[1024];
	size_t len, width;

	/* never after a piece of a log line on the same terminal */
	if (!t->status || t->held || out_queue_mid_line())
		return;
	if (!running(t)) {
		term_hide(t);
		return;
	}
	len = compose(t, line, sizeof(line), now);
	width = columns(t) - 1; /* the last column would wrap on some terminals */
	if (len > width)
		len = width;
	/* over the old line: \r, the new text, spaces where the old one was longer */
	fprintf(t->f, "\r%.*s", (int)len, line);
	if (t->shown > len)
		fprintf(t->f, "%*s\r%.*s", (int)(t->shown - len), "", (int)len, line);
	fflush(t->f);
	t->shown = len ? len : 1;
	t->next_tick = now + TERM_TICK_MS;
}

void term_start_line(struct term *t)
{
	if (!out_queue_mid_line())
		return;
	fputc('\n', t->f);
	out_queue_line_ended();
}

void term_hold(struct term *t)
{
	term_hide(t);
	term_start_line(t);
	t->held++;
}

void term_release(struct term *t, uint64_t now)
{
	if (t->held && !--t->held)
		term_show(t, now);
}

void term_started(struct term *t, unsigned int slot, const char *name, unsigned long timeout_ms,
		  size_t done, size_t total, uint64_t now)
{
	struct term_slot *s = &t->slots[slot >= 1 && slot <= t->n_slots ? slot - 1 : 0];

	snprintf(s->test, sizeof(s->test), "%s", name);
	s->started = now;
	s->timeout_ms = timeout_ms;
	t->done = done;
	t->total = total;
	term_show(t, now);
}

void term_ended(struct term *t, const char *name)
{
	for (size_t i = 0; i < t->n_slots; i++)
		if (!strcmp(t->slots[i].test, name)) {
			t->slots[i].test[0] = '\0';
			break;
		}
	t->done++;
}

void term_idle(struct term *t)
{
	for (size_t i = 0; i < t->n_slots; i++)
		t->slots[i].test[0] = '\0';
	term_hide(t);
}

/* One console line (without its '\n'): the status line down, the line, the status back. */
static void console_line(struct term *t, unsigned int slot, const char *s, size_t len)
{
	if (len && s[len - 1] == '\r') /* a UART's CRLF */
		len--;
	term_hide(t);
	term_start_line(t);
	if (t->tag)
		fprintf(t->f, "[%u] ", slot);
	fputs(TERM_CONSOLE_PREFIX, t->f);
	escape_fputs(t->f, s, len);
	fputc('\n', t->f);
	fflush(t->f);
}

void term_console(struct term *t, unsigned int slot, const char *data, size_t len, uint64_t now)
{
	struct term_slot *s = &t->slots[slot >= 1 && slot <= t->n_slots ? slot - 1 : 0];
	bool any = false;

	if (!data) {
		if (s->len)
			console_line(t, slot, s->line, s->len);
		any = s->len;
		s->len = 0;
	}
	for (size_t i = 0; data && i < len; i++) {
		if (data[i] != '\n') {
			s->line[s->len++] = data[i];
			if (s->len < sizeof(s->line))
				continue;
		}
		console_line(t, slot, s->line, s->len);
		s->len = 0;
		any = true;
	}
	/* the status line comes back once the text holds no unfinished line of ours */
	if (any)
		term_show(t, now);
}

uint64_t term_deadline(const struct term *t)
{
	return t->shown ? t->next_tick : 0;
}

void term_tick(struct term *t, uint64_t now)
{
	if (t->shown && now >= t->next_tick)
		term_show(t, now);
}
